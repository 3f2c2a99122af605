package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The ICMP header (IPv4 protocol 1).
 */
public final class Icmp {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.icmp()}). */
    public static final Icmp INSTANCE = new Icmp();

    private Icmp() {}

    /** The packet has this header (see {@link Layer#ICMP}). */
    public Match present() {
        return Match.present(Layer.ICMP);
    }

    /** The type. */
    public Field type() {
        return Field.of(Layer.ICMP, "icmp.type", 0, 1);
    }

    /** The code. */
    public Field code() {
        return Field.of(Layer.ICMP, "icmp.code", 1, 1);
    }

    /** The checksum. */
    public Field checksum() {
        return Field.of(Layer.ICMP, "icmp.checksum", 2, 2);
    }

    /** The identifier of echo messages. */
    public Field id() {
        return Field.of(Layer.ICMP, "icmp.id", 4, 2);
    }

    /** The sequence number of echo messages. */
    public Field sequence() {
        return Field.of(Layer.ICMP, "icmp.sequence", 6, 2);
    }
}
