package io.jbpf.test.filter;

import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.test.packet.Ipv4Builder;
import io.jbpf.test.packet.Ipv6Builder;
import io.jbpf.test.packet.EthernetBuilder;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.TcpFlag;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Packets for the filter agreement test, made with jbpf-test's builders: hand-picked ones for the
 * corners of pcap-filter (fragments, VLAN stacks, IPv6 extension headers, ARP/RARP, broadcast and
 * multicast, LLC frames), random well-formed ones, and malformed ones (truncated captures, random
 * bytes behind real Ethernet types).
 */
final class FilterCorpus {
    static final String A = "02:00:00:00:00:01";
    static final String B = "02:00:00:00:00:02";
    static final String BCAST = "ff:ff:ff:ff:ff:ff";

    private FilterCorpus() {
    }

    /** A captured packet: its bytes and its length on the wire. */
    record Frame(byte[] data, int wireLength) {
        PcapRecord record(int index) {
            return new PcapRecord(Instant.ofEpochSecond(1_000_000 + index), wireLength, data);
        }
    }

    static List<Frame> built(long seed) {
        List<Frame> out = new ArrayList<>();
        for (Packet p : handPicked()) {
            out.add(new Frame(p.bytes(), p.length()));
        }
        Random r = new Random(seed);
        for (int i = 0; i < 250; i++) {
            Packet p = random(r);
            out.add(new Frame(p.bytes(), p.length()));
        }
        // malformed: truncated captures (wire length kept), and garbage behind real types
        List<Frame> base = new ArrayList<>(out);
        for (int i = 0; i < 120; i++) {
            Frame f = base.get(r.nextInt(base.size()));
            int cut = r.nextInt(Math.max(1, f.data().length));
            byte[] d = java.util.Arrays.copyOf(f.data(), cut);
            out.add(new Frame(d, f.wireLength()));
        }
        int[] types = {0x0800, 0x86dd, 0x0806, 0x8035, 0x8100, 0x88a8, 0x9100, 0x0040, 0x05dc, 0x05dd, 0x1234};
        for (int i = 0; i < 80; i++) {
            byte[] d = new byte[r.nextInt(100)];
            r.nextBytes(d);
            if (d.length >= 14 && r.nextInt(4) != 0) {
                int t = types[r.nextInt(types.length)];
                d[12] = (byte) (t >> 8);
                d[13] = (byte) t;
                if (t == 0x0800 && d.length > 14 && r.nextBoolean()) {
                    d[14] = (byte) (0x40 | (d[14] & 0x0f));
                }
            }
            out.add(new Frame(d, d.length + (r.nextInt(3) == 0 ? r.nextInt(50) : 0)));
        }
        return out;
    }

    private static List<Packet> handPicked() {
        byte[] get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        Packet inner = Packet.ipv4("10.0.0.1", "10.0.0.2").udp(5, 6).payload(new byte[4]).build();
        List<Packet> l = new ArrayList<>();
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(TcpFlag.SYN).mss(1460).build());
        l.add(Packet.ether(B, A).ipv4("10.0.0.2", "10.0.0.1").tcp(80, 1234).flags(TcpFlag.SYN, TcpFlag.ACK).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(TcpFlag.ACK, TcpFlag.PSH)
                .payload(get).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(TcpFlag.RST).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(TcpFlag.FIN, TcpFlag.ACK).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(7, 7).flags(TcpFlag.ACK).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").routerAlert().tcp(22, 40000).flags(TcpFlag.ACK)
                .payload(new byte[30]).build());
        l.add(Packet.ether(A, B).ipv4("192.168.1.1", "192.168.1.255").udp(53, 53).payload(new byte[20]).build());
        l.add(Packet.ether(A, BCAST).ipv4("192.168.1.1", "255.255.255.255").udp(68, 67).payload(new byte[300]).build());
        l.add(Packet.ether(A, "01:00:5e:00:00:fb").ipv4("192.168.1.1", "224.0.0.251").udp(5353, 5353).build());
        l.add(Packet.ether(A, "01:00:5e:00:00:01").ipv4("192.168.1.1", "224.0.0.1").protocol(2).payload(new byte[8]).build());
        l.add(Packet.ether(A, B).ipv4("172.16.5.4", "10.0.0.2").udp(9, 9).build());
        l.add(Packet.ether(A, B).ipv4("172.16.5.4", "10.0.0.2").protocol(132).payload(sctp(9, 2905)).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").protocol(50).payload(new byte[24]).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").protocol(51).payload(new byte[24]).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").protocol(103).payload(new byte[8]).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").protocol(112).payload(new byte[8]).build());
        // IPv4 fragments: first (with ports), middle and last (no ports visible)
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").id(9).moreFragments().udp(53, 53)
                .payload(new byte[64]).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").id(9).moreFragments().fragmentOffset(80).protocol(17)
                .payload(new byte[] {0, 53, 0, 53, 0, 0, 0, 0}).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").id(9).fragmentOffset(160).protocol(6)
                .payload(new byte[] {0, 80, 0, 80, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x02, 0, 0}).build());
        l.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").icmpEchoRequest(1, 2).payload(new byte[56]).build());
        l.add(Packet.ether(B, A).ipv4("10.0.0.2", "10.0.0.1").icmpEchoReply(1, 2).payload(new byte[56]).build());
        l.add(Packet.ether(B, A).ipv4("10.0.0.2", "10.0.0.1").icmpDestinationUnreachable(3, inner).build());
        l.add(Packet.ether(B, A).ipv4("10.0.0.2", "10.0.0.1").icmp(3, 4).payload(new byte[28]).build());
        l.add(Packet.ether(B, A).ipv4("10.0.0.2", "10.0.0.1").icmp(11, 0).payload(new byte[28]).build());
        // IPv6 with and without extension headers
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").tcp(1234, 80).flags(TcpFlag.SYN).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").hopByHop().destinationOptions().tcp(1, 2).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").routing(1, "2001:db8::9").udp(1, 2)
                .payload(new byte[3]).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").fragment(0, true, 7).udp(53, 53)
                .payload(new byte[16]).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").fragment(0, true, 8).tcp(80, 80).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").fragment(0, false, 9)
                .icmpv6EchoRequest(1, 1).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::2", "2001:db8::1").udp(53, 40000).payload(new byte[40]).build());
        l.add(Packet.ether(A, "33:33:ff:00:00:02").ipv6("fe80::1", "ff02::1:ff00:2").neighborSolicitation("fe80::2")
                .build());
        l.add(Packet.ether(B, A).ipv6("fe80::2", "fe80::1").neighborAdvertisement("fe80::2", false, true, true).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").icmpv6EchoRequest(7, 8).payload(new byte[5]).build());
        l.add(Packet.ether(B, A).ipv6("2001:db8::2", "2001:db8::1").icmpv6EchoReply(7, 8).payload(new byte[5]).build());
        l.add(Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").nextHeader(132).payload(sctp(9, 9)).build());
        // ARP, RARP, VLAN stacks, LLC and other Ethernet types
        l.add(Packet.ether(A, BCAST).arpRequest("10.0.0.1", "10.0.0.2").build());
        l.add(Packet.ether(B, A).arpReply("10.0.0.2", "10.0.0.1").build());
        l.add(Packet.ether(A, BCAST).type(0x8035).payload(arpBody("10.0.0.1", "10.0.0.2")).build());
        l.add(Packet.ether(A, B).vlan(10).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(TcpFlag.SYN).build());
        l.add(Packet.ether(A, B).vlan(20).ipv4("10.0.0.1", "10.0.0.2").udp(53, 53).build());
        l.add(Packet.ether(A, B).qinq(10, 20).ipv4("10.0.0.1", "10.0.0.2").icmpEchoRequest(3, 3).build());
        l.add(Packet.ether(A, B).qinq(20, 10).ipv6("2001:db8::1", "2001:db8::2").tcp(5, 80).build());
        l.add(Packet.ether(A, BCAST).vlan(10).arpRequest("10.0.0.1", "10.0.0.2").build());
        l.add(Packet.ether(A, B).vlan(4095).ipv6("fe80::1", "ff02::1").udp(1, 1).build());
        l.add(Packet.ether(A, "01:80:c2:00:00:0e").type(0x88cc).payload(new byte[40]).build());
        byte[] llc = new byte[46];
        llc[0] = 0x06;
        llc[1] = 0x06;
        l.add(Packet.ether(A, "01:80:c2:00:00:00").type(46).payload(llc).build());
        byte[] stp = new byte[46];
        stp[0] = 0x42;
        stp[1] = 0x42;
        l.add(Packet.ether(A, "01:80:c2:00:00:00").type(46).payload(stp).build());
        return l;
    }

    private static byte[] sctp(int sport, int dport) {
        byte[] b = new byte[28];
        b[0] = (byte) (sport >> 8);
        b[1] = (byte) sport;
        b[2] = (byte) (dport >> 8);
        b[3] = (byte) dport;
        return b;
    }

    private static byte[] arpBody(String sender, String target) {
        byte[] b = new byte[28];
        b[1] = 1;
        b[2] = 8;
        b[4] = 6;
        b[5] = 4;
        b[7] = 3;
        String[] s = sender.split("\\.");
        String[] t = target.split("\\.");
        for (int i = 0; i < 4; i++) {
            b[14 + i] = (byte) Integer.parseInt(s[i]);
            b[24 + i] = (byte) Integer.parseInt(t[i]);
        }
        return b;
    }

    private static String v4(Random r) {
        String[] nets = {"10.0.0.", "10.1.2.", "192.168.1.", "172.16.0.", "8.8.8."};
        return nets[r.nextInt(nets.length)] + (1 + r.nextInt(254));
    }

    private static String v6(Random r) {
        String[] nets = {"2001:db8::", "fe80::", "2001:db8:1::", "ff02::"};
        return nets[r.nextInt(nets.length)] + Integer.toHexString(1 + r.nextInt(0xfffe));
    }

    private static String mac(Random r) {
        return String.format("%02x:00:00:00:00:%02x", r.nextInt(4) == 0 ? 1 : 2, r.nextInt(4));
    }

    private static Packet random(Random r) {
        int[] ports = {22, 53, 80, 443, 1234, 7, 9, 8080, 5353, 40000, 1024, 65535};
        int sport = r.nextInt(3) == 0 ? r.nextInt(65536) : ports[r.nextInt(ports.length)];
        int dport = r.nextInt(3) == 0 ? r.nextInt(65536) : ports[r.nextInt(ports.length)];
        byte[] payload = new byte[r.nextInt(3) == 0 ? r.nextInt(1500) : r.nextInt(64)];
        r.nextBytes(payload);
        EthernetBuilder eth = Packet.ether(mac(r), r.nextInt(8) == 0 ? BCAST : mac(r));
        int vlans = r.nextInt(5);
        if (vlans == 1) {
            eth.vlan(r.nextBoolean() ? 10 : r.nextInt(4096));
        } else if (vlans == 2) {
            eth.qinq(r.nextBoolean() ? 10 : r.nextInt(4096), r.nextBoolean() ? 20 : r.nextInt(4096));
        }
        int l4 = r.nextInt(4);
        if (r.nextBoolean()) {
            Ipv6Builder ip = eth.ipv6(v6(r), v6(r)).hopLimit(1 + r.nextInt(255));
            if (r.nextInt(4) == 0) {
                ip.hopByHop();
            }
            if (r.nextInt(4) == 0) {
                ip.fragment(r.nextInt(4) * 8, r.nextBoolean(), r.nextInt() & 0xffffffffL);
            }
            switch (l4) {
                case 0: return ip.tcp(sport, dport).flags(r.nextInt(256)).payload(payload).build();
                case 1: return ip.udp(sport, dport).payload(payload).build();
                case 2: return ip.icmpv6EchoRequest(sport, dport).payload(payload).build();
                default: return ip.nextHeader(r.nextInt(256)).payload(payload).build();
            }
        }
        Ipv4Builder ip = eth.ipv4(v4(r), v4(r)).ttl(1 + r.nextInt(255)).id(r.nextInt(65536));
        if (r.nextInt(4) == 0) {
            ip.routerAlert();
        }
        if (r.nextInt(5) == 0) {
            ip.moreFragments();
        }
        if (r.nextInt(5) == 0) {
            ip.fragmentOffset(8 * (1 + r.nextInt(100)));
        }
        switch (l4) {
            case 0: return ip.tcp(sport, dport).flags(r.nextInt(256)).payload(payload).build();
            case 1: return ip.udp(sport, dport).payload(payload).build();
            case 2: return ip.icmpEchoRequest(sport, dport).payload(payload).build();
            default: return ip.protocol(r.nextInt(256)).payload(payload).build();
        }
    }
}
