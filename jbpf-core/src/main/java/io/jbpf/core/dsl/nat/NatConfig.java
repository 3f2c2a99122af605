package io.jbpf.core.dsl.nat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The source NAT's configuration, element 0 of the array map {@code nat_cfg}, laid out as the C
 * struct {@code struct { __be32 external, private_net, private_mask; __u16 port_min, port_max; }}
 * (16 bytes; addresses in network order, ports in host order).
 *
 * @param external     the address translated flows leave with
 * @param privateNet   the network whose sources are translated (with {@code privateMask})
 * @param privateMask  its mask, e.g. {@code 0xffffff00} for a /24
 * @param portMin      the lowest port (or ICMP echo identifier) to allocate
 * @param portMax      the highest, at least {@code portMin}
 */
public record NatConfig(int external, int privateNet, int privateMask, int portMin, int portMax) {
    /** Size of the encoded struct. */
    public static final int SIZE = 16;

    public NatConfig {
        if (portMin < 1 || portMax > 0xffff || portMin > portMax) {
            throw new IllegalArgumentException("port range " + portMin + ".." + portMax
                    + " must lie within 1..65535 and not be empty");
        }
        if (Integer.bitCount(privateMask) != Integer.numberOfLeadingZeros(~privateMask)) {
            throw new IllegalArgumentException("private mask " + Ipv4.format(privateMask) + " is not a prefix mask");
        }
        if ((privateNet & ~privateMask) != 0) {
            throw new IllegalArgumentException("private network " + Ipv4.format(privateNet) + " has bits outside its mask "
                    + Ipv4.format(privateMask));
        }
    }

    /** From {@code "10.0.0.1"}, {@code "192.168.0.0/16"} and a port range. */
    public static NatConfig of(String external, String privateCidr, int portMin, int portMax) {
        String[] parts = privateCidr.split("/", -1);
        if (parts.length != 2) {
            throw new IllegalArgumentException("'" + privateCidr + "' is not address/length");
        }
        int len;
        try {
            len = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + privateCidr + "': prefix length '" + parts[1] + "' is not a number", e);
        }
        if (len < 0 || len > 32) {
            throw new IllegalArgumentException("'" + privateCidr + "': prefix length " + len + " is not in 0..32");
        }
        int mask = len == 0 ? 0 : -1 << (32 - len);
        return new NatConfig(Ipv4.parse(external), Ipv4.parse(parts[0]) & mask, mask, portMin, portMax);
    }

    /** The struct's bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE);
        b.order(ByteOrder.BIG_ENDIAN).putInt(external).putInt(privateNet).putInt(privateMask);
        b.order(ByteOrder.nativeOrder()).putShort((short) portMin).putShort((short) portMax);
        return b.array();
    }
}
