package io.jbpf.test.packet;

import java.util.EnumSet;
import java.util.Set;

/** The TCP header flags, with their bit in the 8-bit flags field. */
public enum TcpFlag {
    FIN(0x01), SYN(0x02), RST(0x04), PSH(0x08), ACK(0x10), URG(0x20), ECE(0x40), CWR(0x80);

    private final int bit;

    TcpFlag(int bit) {
        this.bit = bit;
    }

    /** This flag's bit in the flags byte. */
    public int bit() {
        return bit;
    }

    /** The flags byte with {@code flags} set. */
    public static int bits(TcpFlag... flags) {
        int b = 0;
        for (TcpFlag f : flags) {
            b |= f.bit;
        }
        return b;
    }

    /** The flags set in the flags byte {@code bits}. */
    public static Set<TcpFlag> of(int bits) {
        Set<TcpFlag> s = EnumSet.noneOf(TcpFlag.class);
        for (TcpFlag f : values()) {
            if ((bits & f.bit) != 0) {
                s.add(f);
            }
        }
        return s;
    }
}
