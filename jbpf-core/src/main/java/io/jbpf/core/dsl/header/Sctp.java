package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The SCTP common header.
 */
public final class Sctp {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.sctp()}). */
    public static final Sctp INSTANCE = new Sctp();

    private Sctp() {}

    /** The packet has this header (see {@link Layer#SCTP}). */
    public Match present() {
        return Match.present(Layer.SCTP);
    }

    /** The source port. */
    public Field srcPort() {
        return Field.of(Layer.SCTP, "sctp.srcPort", 0, 2);
    }

    /** The destination port. */
    public Field dstPort() {
        return Field.of(Layer.SCTP, "sctp.dstPort", 2, 2);
    }

    /** The verification tag. */
    public Field verificationTag() {
        return Field.of(Layer.SCTP, "sctp.verificationTag", 4, 4);
    }

    /** The checksum. */
    public Field checksum() {
        return Field.of(Layer.SCTP, "sctp.checksum", 8, 4);
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
