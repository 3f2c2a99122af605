package io.jbpf.test.packet;

import java.util.Random;

/** Random well-formed packets (no fragments, no routing headers: every checksum covers what it can). */
final class RandomPackets {
    /** What a random packet was built from, to compare with its parsed view. */
    record Spec(boolean v6, String src, String dst, int vlans, int ttl, int l4, int sport, int dport, int flags,
            long seq, int payloadLength, Packet packet) {}

    private RandomPackets() {}

    static Spec next(Random r) {
        boolean v6 = r.nextBoolean();
        String src = v6 ? v6(r) : v4(r);
        String dst = v6 ? v6(r) : v4(r);
        int vlans = r.nextInt(3);
        int ttl = 1 + r.nextInt(255);
        int l4 = r.nextInt(3); // 0 TCP, 1 UDP, 2 ICMP(v6) echo
        int sport = r.nextInt(65536);
        int dport = r.nextInt(65536);
        int flags = r.nextInt(256);
        long seq = r.nextInt() & 0xffffffffL;
        byte[] payload = new byte[r.nextInt(64)];
        r.nextBytes(payload);
        EthernetBuilder eth = Packet.ether(mac(r), mac(r));
        if (vlans == 1) {
            eth.vlan(r.nextInt(4096));
        } else if (vlans == 2) {
            eth.qinq(r.nextInt(4096), r.nextInt(4096));
        }
        LayerBuilder last;
        if (v6) {
            Ipv6Builder ip = eth.ipv6(src, dst).hopLimit(ttl).trafficClass(r.nextInt(256)).flowLabel(r.nextInt(1 << 20));
            if (r.nextBoolean()) {
                ip.hopByHop();
            }
            if (r.nextBoolean()) {
                ip.destinationOptions(new byte[] {(byte) 0x1e, 2, 0, 0});
            }
            last = switch (l4) {
                case 0 -> ip.tcp(sport, dport).flags(flags).seq(seq).payload(payload);
                case 1 -> ip.udp(sport, dport).payload(payload);
                default -> ip.icmpv6EchoRequest(sport, dport).payload(payload);
            };
        } else {
            Ipv4Builder ip = eth.ipv4(src, dst).ttl(ttl).id(r.nextInt(65536)).dscp(r.nextInt(64));
            if (r.nextBoolean()) {
                ip.dontFragment();
            }
            if (r.nextInt(4) == 0) {
                ip.routerAlert();
            }
            last = switch (l4) {
                case 0 -> ip.tcp(sport, dport).flags(flags).seq(seq).mss(r.nextInt(65536)).payload(payload);
                case 1 -> ip.udp(sport, dport).payload(payload);
                default -> ip.icmpEchoRequest(sport, dport).payload(payload);
            };
        }
        return new Spec(v6, src, dst, vlans, ttl, l4, sport, dport, flags, seq, payload.length, last.build());
    }

    private static String v4(Random r) {
        return (1 + r.nextInt(223)) + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + r.nextInt(256);
    }

    private static String v6(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append(i == 0 ? "" : ":").append(Integer.toHexString(r.nextInt(65536)));
        }
        return s.toString();
    }

    private static MacAddress mac(Random r) {
        return new MacAddress((r.nextLong() & 0xfeff_ffff_ffffL) | 0x0200_0000_0000L);
    }
}
