package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The TCP header (20 bytes; options are not parsed).
 */
public final class Tcp {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.tcp()}). */
    public static final Tcp INSTANCE = new Tcp();

    private Tcp() {}

    /** The packet has this header (see {@link Layer#TCP}). */
    public Match present() {
        return Match.present(Layer.TCP);
    }

    /** The source port. */
    public Field srcPort() {
        return Field.of(Layer.TCP, "tcp.srcPort", 0, 2);
    }

    /** The destination port. */
    public Field dstPort() {
        return Field.of(Layer.TCP, "tcp.dstPort", 2, 2);
    }

    /** The sequence number. */
    public Field seq() {
        return Field.of(Layer.TCP, "tcp.seq", 4, 4);
    }

    /** The acknowledgment number. */
    public Field ack() {
        return Field.of(Layer.TCP, "tcp.ack", 8, 4);
    }

    /** The data offset in 32-bit words. */
    public Field dataOffset() {
        return Field.bits(Layer.TCP, "tcp.dataOffset", 12, 1, 0xf, 4);
    }

    /** The flags byte: {@link #FIN}, {@link #SYN}, {@link #RST}, {@link #PSH}, {@link #ACK}, {@link #URG}, {@link #ECE}, {@link #CWR}. */
    public Field flags() {
        return Field.of(Layer.TCP, "tcp.flags", 13, 1);
    }

    /** The window. */
    public Field window() {
        return Field.of(Layer.TCP, "tcp.window", 14, 2);
    }

    /** The checksum. */
    public Field checksum() {
        return Field.of(Layer.TCP, "tcp.checksum", 16, 2);
    }

    /** The urgent pointer. */
    public Field urgentPointer() {
        return Field.of(Layer.TCP, "tcp.urgentPointer", 18, 2);
    }

    /** Either port is {@code port}. */
    public Match port(int port) {
        return srcPort().eq(port).or(dstPort().eq(port));
    }

    /** Either port is in {@code low..high}. */
    public Match portRange(int low, int high) {
        return srcPort().between(low, high).or(dstPort().between(low, high));
    }

    /** TCP flag bits of {@link #flags()}. */
    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40,
            CWR = 0x80;
}
