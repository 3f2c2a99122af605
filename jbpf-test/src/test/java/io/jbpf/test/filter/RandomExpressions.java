package io.jbpf.test.filter;

import java.util.Random;

/**
 * Random pcap-filter expressions over the addresses, ports and MACs of {@link FilterCorpus}: no one
 * chose them, so agreement with tcpdump on them is evidence beyond the hand-written list.
 */
final class RandomExpressions {
    private static final String[] V4 = {"10.0.0.1", "10.0.0.2", "192.168.1.1", "172.16.5.4", "10.1.2.3"};
    private static final String[] V6 = {"2001:db8::1", "2001:db8::2", "fe80::1", "fe80::2"};
    private static final String[] NETS = {"10.0.0.0/8", "192.168.0.0/16", "10.0.0.0/24", "10", "192.168", "172.16.0.0/12",
        "2001:db8::/32", "fe80::/10", "ff02::/16", "10.0.0.0 mask 255.255.255.0"};
    private static final int[] PORTS = {22, 53, 80, 443, 1234, 7, 9, 8080, 5353, 40000, 1024};
    private static final String[] MACS = {"02:00:00:00:00:01", "02:00:00:00:00:02", "ff:ff:ff:ff:ff:ff"};
    private static final String[] PROTOS = {"ip", "ip6", "arp", "rarp", "tcp", "udp", "icmp", "icmp6", "sctp", "igmp",
        "vlan", "vlan 10", "vlan 20", "pim", "esp", "ah"};
    private static final String[] DIRS = {"", "src ", "dst ", "src or dst ", "src and dst "};
    private static final String[] RELOPS = {"=", "!=", "<", "<=", ">", ">="};

    private final Random r;

    RandomExpressions(long seed) {
        this.r = new Random(seed);
    }

    private <T> T pick(T[] a) {
        return a[r.nextInt(a.length)];
    }

    String next() {
        return expr(3);
    }

    private String expr(int depth) {
        if (depth == 0 || r.nextInt(3) == 0) {
            return primitive();
        }
        switch (r.nextInt(5)) {
            case 0:
                return "not " + expr(depth - 1);
            case 1:
                return "(" + expr(depth - 1) + ")";
            case 2:
                return expr(depth - 1) + (r.nextBoolean() ? " and " : " && ") + expr(depth - 1);
            default:
                return expr(depth - 1) + (r.nextBoolean() ? " or " : " || ") + expr(depth - 1);
        }
    }

    private String primitive() {
        switch (r.nextInt(12)) {
            case 0:
                return pick(PROTOS);
            case 1: {
                String p = r.nextInt(3) == 0 ? (r.nextBoolean() ? "ip " : "arp ") : "";
                String s = p + pick(DIRS) + "host " + pick(V4);
                return r.nextInt(3) == 0 ? s + " or " + pick(V4) : s;
            }
            case 2:
                return pick(DIRS) + "host " + pick(V6);
            case 3:
                return pick(DIRS) + "net " + pick(NETS);
            case 4: {
                String p = r.nextInt(2) == 0 ? "" : r.nextBoolean() ? "tcp " : "udp ";
                String s = p + pick(DIRS) + "port " + PORTS[r.nextInt(PORTS.length)];
                return r.nextInt(3) == 0 ? s + " or " + PORTS[r.nextInt(PORTS.length)] : s;
            }
            case 5: {
                int a = PORTS[r.nextInt(PORTS.length)];
                int b = PORTS[r.nextInt(PORTS.length)];
                return (r.nextBoolean() ? "" : "tcp ") + pick(DIRS) + "portrange " + a + "-" + b;
            }
            case 6:
                return "ether " + pick(DIRS) + "host " + pick(MACS);
            case 7:
                return pick(new String[] {"broadcast", "multicast", "ip multicast", "ip6 multicast", "ip broadcast",
                    "ether proto \\arp", "ether proto 0x88cc", "ip proto \\udp", "ip6 proto 6", "proto 17"});
            case 8:
                return (r.nextBoolean() ? "less " : "greater ") + (r.nextInt(200) + 20);
            case 9: {
                String[] acc = {"ip[" + r.nextInt(20) + "]", "ip[" + 2 * r.nextInt(10) + ":2]", "tcp[13]",
                    "tcp[tcpflags] & tcp-syn", "udp[" + r.nextInt(8) + "]", "ether[" + r.nextInt(14) + "]",
                    "ip6[" + r.nextInt(40) + "]", "icmp[icmptype]", "len", "ip[0] & 0xf", "tcp[0:2]", "udp[2:2]",
                    "icmp6[0]", "arp[7]"};
                return pick(acc) + " " + pick(RELOPS) + " " + r.nextInt(r.nextBoolean() ? 256 : 70000);
            }
            case 10:
                return "len " + pick(RELOPS) + " " + (40 + r.nextInt(200)) + (r.nextBoolean() ? "" : " and ip");
            default:
                return "vlan " + (r.nextBoolean() ? "10" : "20") + " and " + pick(PROTOS);
        }
    }
}
