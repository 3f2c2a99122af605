package io.jbpf.test.dsl;

import io.jbpf.test.packet.EthernetBuilder;
import io.jbpf.test.packet.Ipv4Builder;
import io.jbpf.test.packet.Ipv6Builder;
import io.jbpf.test.packet.LayerBuilder;
import io.jbpf.test.packet.MacAddress;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.VlanTag;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Packets for the DSL's differential test: well-formed ones of every header the DSL reads, from
 * small pools of addresses and ports so that the catalog's matches both hit and miss, and
 * malformed ones (truncated anywhere, bad IHL, IPv6 chains of extension headers longer than the
 * walk, random bytes, flipped bytes).
 */
final class DslPackets {
    private static final String[] V4 = {"10.0.0.1", "10.1.0.2", "10.3.4.5", "192.168.1.1", "172.16.5.4", "172.32.0.1",
        "192.0.2.77", "8.8.8.8", "10.0.0.9"};
    private static final String[] V6 = {"2001:db8::1", "2001:db8:1::5", "2001:db8:2::9", "fe80::1", "ff02::1",
        "2001:db9::1", "fd00::2"};
    private static final int[] PORTS = {22, 53, 80, 85, 90, 91, 123, 443, 1000, 1500, 2000, 2001, 2905, 2910, 36412,
        8080, 65535};
    private static final String[] MACS = {"ff:ff:ff:ff:ff:ff", "02:00:00:00:00:01", "02:11:22:33:44:55",
        "0a:0b:0c:0d:0e:0f", "01:00:5e:00:00:01", "52:54:00:12:34:56"};

    private final Random r;

    DslPackets(long seed) {
        this.r = new Random(seed);
    }

    private <T> T pick(T[] a) {
        return a[r.nextInt(a.length)];
    }

    private int port() {
        return PORTS[r.nextInt(PORTS.length)];
    }

    /** {@code n} packets: well-formed, then the same mangled. */
    List<byte[]> corpus(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] p = wellFormed();
            out.add(p);
            switch (r.nextInt(5)) {
                case 0:
                    out.add(truncate(p));
                    break;
                case 1:
                    out.add(flip(p));
                    break;
                case 2:
                    out.add(random());
                    break;
                default:
                    break;
            }
        }
        return out;
    }

    byte[] truncate(byte[] p) {
        int len = 14 + r.nextInt(Math.max(1, p.length - 14));
        return java.util.Arrays.copyOf(p, len);
    }

    byte[] flip(byte[] p) {
        byte[] q = p.clone();
        int flips = 1 + r.nextInt(3);
        for (int i = 0; i < flips; i++) {
            int at = 12 + r.nextInt(Math.min(q.length - 12, 70));
            q[at] = (byte) r.nextInt(256);
        }
        return q;
    }

    byte[] random() {
        byte[] q = new byte[14 + r.nextInt(120)];
        r.nextBytes(q);
        int[] types = {0x0800, 0x86dd, 0x0806, 0x8100, 0x88a8, 0x1234};
        int t = types[r.nextInt(types.length)];
        q[12] = (byte) (t >> 8);
        q[13] = (byte) t;
        return q;
    }

    byte[] wellFormed() {
        EthernetBuilder eth = Packet.ether(pick(MACS), pick(MACS));
        int vlans = r.nextInt(4);
        if (vlans == 1) {
            eth.vlan(r.nextBoolean() ? 100 : r.nextInt(4096), r.nextInt(8));
        } else if (vlans == 2) {
            int outer = r.nextBoolean() ? EthernetBuilder.TPID_8021AD : EthernetBuilder.TPID_8021Q;
            eth.tag(new VlanTag(outer, r.nextInt(8), false, r.nextInt(4096)));
            eth.tag(new VlanTag(EthernetBuilder.TPID_8021Q, r.nextInt(8), false, 5 + r.nextInt(20)));
        }
        int kind = r.nextInt(10);
        LayerBuilder last;
        if (kind == 0) {
            last = r.nextBoolean() ? eth.arpRequest(pick(V4), r.nextBoolean() ? "10.0.0.7" : pick(V4))
                    : eth.arpReply(pick(V4), pick(V4)).senderMac(MacAddress.of(pick(MACS)));
        } else if (kind <= 5) {
            last = ipv4(eth.ipv4(pick(V4), pick(V4)));
        } else if (kind <= 8) {
            last = ipv6(eth.ipv6(pick(V6), pick(V6)));
        } else {
            byte[] payload = new byte[r.nextInt(64)];
            r.nextBytes(payload);
            last = eth.type(r.nextBoolean() ? 0x0806 : 0x88b5).payload(payload);
        }
        byte[] p = last.build().bytes();
        if (r.nextInt(8) == 0 && p.length < 1200) {
            p = java.util.Arrays.copyOf(p, 1001 + r.nextInt(200)); // long frames for the length rules
        }
        return p;
    }

    private LayerBuilder ipv4(Ipv4Builder ip) {
        ip.ttl(r.nextInt(4) == 0 ? 1 + r.nextInt(6) : 64).dscp(r.nextInt(3) == 0 ? 46 : r.nextInt(64));
        if (r.nextInt(5) == 0) {
            ip.routerAlert();
        }
        switch (r.nextInt(8)) {
            case 0:
                ip.moreFragments();
                break;
            case 1:
                ip.fragmentOffset(8 * (1 + r.nextInt(200)));
                break;
            case 2:
                ip.ihl(r.nextInt(16));
                break;
            case 3:
                ip.version(r.nextInt(16));
                break;
            default:
                break;
        }
        return transport(ip, null);
    }

    private LayerBuilder ipv6(Ipv6Builder ip) {
        ip.hopLimit(r.nextInt(3) == 0 ? 255 : 64).flowLabel(r.nextInt(3) == 0 ? r.nextInt(0x200) : r.nextInt(1 << 20));
        int ext = r.nextInt(4) == 0 ? r.nextInt(8) : r.nextInt(3);
        for (int i = 0; i < ext; i++) {
            switch (r.nextInt(5)) {
                case 0:
                    ip.hopByHop();
                    break;
                case 1:
                    ip.destinationOptions(new byte[] {(byte) 0x1e, 2, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
                    break;
                case 2:
                    ip.routing(0, "2001:db8::99");
                    break;
                case 3:
                    ip.fragment(r.nextBoolean() ? 0 : 8 * r.nextInt(100), r.nextBoolean(), r.nextInt(1 << 20));
                    break;
                default:
                    ip.extension(51, new byte[6]); // AH: (0 + 2) * 4 = 8 bytes
                    break;
            }
        }
        return transport(null, ip);
    }

    private LayerBuilder transport(Ipv4Builder v4, Ipv6Builder v6) {
        byte[] payload = new byte[r.nextInt(40)];
        r.nextBytes(payload);
        int k = r.nextInt(6);
        switch (k) {
            case 0:
            case 1: {
                int flags = r.nextInt(4) == 0 ? 0x02 : r.nextInt(256);
                return (v4 != null ? v4.tcp(port(), port()) : v6.tcp(port(), port())).flags(flags).payload(payload);
            }
            case 2:
                return (v4 != null ? v4.udp(port(), port()) : v6.udp(port(), port())).payload(payload);
            case 3:
                if (v4 != null) {
                    return r.nextBoolean() ? v4.icmpEchoRequest(7, 1) : v4.icmp(r.nextInt(16), r.nextInt(3));
                }
                return r.nextBoolean() ? v6.icmpv6(135 + r.nextInt(3), 0) : v6.icmpv6EchoRequest(7, 1);
            case 4: {
                byte[] sctp = new byte[12 + payload.length];
                int sp = port();
                int dp = port();
                sctp[0] = (byte) (sp >> 8);
                sctp[1] = (byte) sp;
                sctp[2] = (byte) (dp >> 8);
                sctp[3] = (byte) dp;
                System.arraycopy(payload, 0, sctp, 12, payload.length);
                return v4 != null ? v4.protocol(132).payload(sctp) : v6.nextHeader(132).payload(sctp);
            }
            default:
                return v4 != null ? v4.protocol(59).payload(payload) : v6.nextHeader(59).payload(payload);
        }
    }
}
