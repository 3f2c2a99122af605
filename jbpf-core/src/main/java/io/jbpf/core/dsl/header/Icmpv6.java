package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The ICMPv6 header (IPv6 next header 58).
 */
public final class Icmpv6 {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.icmpv6()}). */
    public static final Icmpv6 INSTANCE = new Icmpv6();

    private Icmpv6() {}

    /** The packet has this header (see {@link Layer#ICMPV6}). */
    public Match present() {
        return Match.present(Layer.ICMPV6);
    }

    /** The type. */
    public Field type() {
        return Field.of(Layer.ICMPV6, "icmpv6.type", 0, 1);
    }

    /** The code. */
    public Field code() {
        return Field.of(Layer.ICMPV6, "icmpv6.code", 1, 1);
    }

    /** The checksum. */
    public Field checksum() {
        return Field.of(Layer.ICMPV6, "icmpv6.checksum", 2, 2);
    }

    /** The identifier of echo messages. */
    public Field id() {
        return Field.of(Layer.ICMPV6, "icmpv6.id", 4, 2);
    }

    /** The sequence number of echo messages. */
    public Field sequence() {
        return Field.of(Layer.ICMPV6, "icmpv6.sequence", 6, 2);
    }
}
