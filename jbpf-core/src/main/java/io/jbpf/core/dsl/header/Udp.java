package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The UDP header.
 */
public final class Udp {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.udp()}). */
    public static final Udp INSTANCE = new Udp();

    private Udp() {}

    /** The packet has this header (see {@link Layer#UDP}). */
    public Match present() {
        return Match.present(Layer.UDP);
    }

    /** The source port. */
    public Field srcPort() {
        return Field.of(Layer.UDP, "udp.srcPort", 0, 2);
    }

    /** The destination port. */
    public Field dstPort() {
        return Field.of(Layer.UDP, "udp.dstPort", 2, 2);
    }

    /** The length. */
    public Field length() {
        return Field.of(Layer.UDP, "udp.length", 4, 2);
    }

    /** The checksum. */
    public Field checksum() {
        return Field.of(Layer.UDP, "udp.checksum", 6, 2);
    }

    /** Either port is {@code port}. */
    public Match port(int port) {
        return srcPort().eq(port).or(dstPort().eq(port));
    }

    /** Either port is in {@code low..high}. */
    public Match portRange(int low, int high) {
        return srcPort().between(low, high).or(dstPort().between(low, high));
    }
}
