package io.jbpf.core.dsl.cbpf;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A deterministic corpus of Ethernet frames for filter differential tests: IPv4 (options,
 * fragments), IPv6, ARP, VLAN and QinQ tags, MPLS, PPPoE, LLDP; TCP, UDP, ICMP, ICMPv6, GRE, SCTP;
 * addresses and ports that the tcpdump corpus expressions name (and others); then truncated,
 * bit-flipped and random frames. Every frame has at least 14 bytes (what a test run needs).
 */
final class Frames {
    private static final byte[][] MACS = {
        mac("020000000001"), mac("020000000002"), mac("ffffffffffff"), mac("01005e000001"), mac("333300000001"),
        mac("0a0b0c0d0e0f"),
    };
    private static final int[] V4 = {
        0x0a010203, 0xc0a80001, 0xc0a80002, 0x0a000001, 0xac100505, 0xac200505, 0xc0a80163, 0xe0000001, 0xffffffff,
        0x08080808, 0xc0a801ff,
    };
    private static final int[] PORTS = {80, 53, 22, 443, 1000, 1500, 2000, 2001, 999, 8000, 8080, 8081, 12345, 0};
    private static final int[] TTLS = {1, 4, 5, 64, 255};

    private Frames() {
    }

    static byte[] mac(String hex) {
        return java.util.HexFormat.of().parseHex(hex);
    }

    /** The corpus: {@code structured} built frames, their truncations and mutations, and random frames. */
    static List<byte[]> corpus(long seed, int structured) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < structured; i++) {
            out.add(frame(r));
        }
        out.addAll(targeted());
        int built = out.size();
        for (int i = 0; i < built; i += 2) {
            byte[] f = out.get(i);
            if (f.length > 15) {
                out.add(Arrays.copyOf(f, 14 + r.nextInt(f.length - 14)));
            }
        }
        for (int i = 1; i < built; i += 4) {
            byte[] f = out.get(i).clone();
            f[r.nextInt(f.length)] ^= (byte) (1 << r.nextInt(8));
            f[14 + r.nextInt(f.length - 14)] ^= (byte) 0xff;
            out.add(f);
        }
        for (int i = 0; i < structured / 4; i++) {
            byte[] f = new byte[14 + r.nextInt(120)];
            r.nextBytes(f);
            if (r.nextBoolean()) {
                f[12] = 0x08;
                f[13] = 0x00;
            }
            out.add(f);
        }
        return out;
    }

    /** Frames that rare expressions in the corpus match (and a shift by 37 that only the kernel's X & 31 matches). */
    static List<byte[]> targeted() {
        byte[] tcp80 = tcp(1234, 80, 4);
        List<byte[]> out = new ArrayList<>();
        out.add(eth(0x8100, cat(new byte[] {0x00, 100, 0x08, 0x00}, ip4(0x45, 0, 6, tcp80))));
        out.add(eth(0x0800, ip4(0x45, 0, 6, tcp80)));
        out.add(eth(0x86dd, cat(new byte[] {0x60, 0, 0, 0, 0, (byte) tcp80.length, 6, 64}, new byte[32], tcp(5555, 443, 0))));
        out.add(eth(0x0800, ip4(0x45, 0, 1, new byte[] {8, 0, 0, 0, 0, 1, 0, 1})));
        out.add(eth(0x0800, ip4(0x45, 2, 17, new byte[] {0, 53, 0, 53, 0, 8, 0, 0})));
        out.add(eth(0x0800, ip4(0x10, 2, 17, new byte[8])));
        out.add(eth(0x0800, ip4(0x02, 37, 17, new byte[8])));
        return out;
    }

    static byte[] cat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    static byte[] eth(int type, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(MACS[0]);
        b.writeBytes(MACS[1]);
        put16(b, type);
        b.writeBytes(payload);
        return b.toByteArray();
    }

    /** A 20-byte IPv4 header (first byte and TOS as given), 10.1.2.3 -> 192.168.0.1, then {@code l4}. */
    static byte[] ip4(int first, int tos, int proto, byte[] l4) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(first);
        b.write(tos);
        put16(b, 20 + l4.length);
        put32(b, 0);
        b.write(64);
        b.write(proto);
        put16(b, 0);
        put32(b, V4[0]);
        put32(b, V4[1]);
        b.writeBytes(l4);
        return b.toByteArray();
    }

    static byte[] tcp(int sport, int dport, int payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        put16(b, sport);
        put16(b, dport);
        put32(b, 1);
        put32(b, 0);
        b.write(0x50);
        b.write(0x18);
        put16(b, 0xffff);
        put32(b, 0);
        b.writeBytes(new byte[payload]);
        return b.toByteArray();
    }

    static byte[] frame(Random r) {
        byte[] dst = MACS[r.nextInt(MACS.length)];
        byte[] src = MACS[r.nextInt(MACS.length)];
        int l3 = r.nextInt(12);
        int type;
        byte[] payload;
        switch (l3) {
            case 0:
            case 1:
            case 2:
            case 3:
            case 4:
                type = 0x0800;
                payload = ipv4(r);
                break;
            case 5:
            case 6:
                type = 0x86dd;
                payload = ipv6(r);
                break;
            case 7:
                type = 0x0806;
                payload = bytes(r, 28);
                break;
            case 8:
                type = 0x8847;
                payload = bytes(r, 4 + r.nextInt(40));
                break;
            case 9:
                type = 0x8864;
                payload = bytes(r, 8 + r.nextInt(40));
                break;
            case 10:
                type = 0x88cc;
                payload = bytes(r, r.nextInt(40));
                break;
            default:
                type = r.nextInt(0x10000);
                payload = bytes(r, r.nextInt(60));
        }
        int tags = r.nextInt(6) == 0 ? 1 + r.nextInt(2) : 0;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(dst);
        b.writeBytes(src);
        for (int t = 0; t < tags; t++) {
            int tpid = t == 0 && tags == 2 ? 0x88a8 : 0x8100;
            put16(b, tpid);
            put16(b, (r.nextInt(8) << 13) | (r.nextBoolean() ? 100 : r.nextInt(4096)));
        }
        put16(b, type);
        b.writeBytes(payload);
        return b.toByteArray();
    }

    static byte[] ipv4(Random r) {
        int ihl = r.nextInt(4) == 0 ? 5 + r.nextInt(3) : 5;
        int proto = new int[] {6, 6, 6, 17, 17, 1, 47, 132, 2}[r.nextInt(9)];
        byte[] l4 = l4(r, proto);
        int total = ihl * 4 + l4.length;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x40 | ihl);
        b.write(r.nextInt(4) == 0 ? r.nextInt(256) : 0);
        put16(b, r.nextInt(10) == 0 ? r.nextInt(0x10000) : total);
        put16(b, r.nextInt(0x10000));
        int frag = r.nextInt(5) == 0 ? (r.nextBoolean() ? 0x2000 : 0) | r.nextInt(0x2000) : (r.nextBoolean() ? 0x4000 : 0);
        put16(b, frag);
        b.write(TTLS[r.nextInt(TTLS.length)]);
        b.write(proto);
        put16(b, 0);
        put32(b, V4[r.nextInt(V4.length)]);
        put32(b, r.nextInt(6) == 0 ? r.nextInt() : V4[r.nextInt(V4.length)]);
        b.writeBytes(bytes(r, (ihl - 5) * 4));
        b.writeBytes(l4);
        return b.toByteArray();
    }

    static byte[] ipv6(Random r) {
        int next = new int[] {6, 17, 58, 58, 0, 44}[r.nextInt(6)];
        byte[] l4 = l4(r, next == 58 ? 1 : next);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        put32(b, 0x60000000 | r.nextInt(0x100000));
        put16(b, l4.length);
        b.write(next);
        b.write(64);
        b.writeBytes(v6(r));
        b.writeBytes(v6(r));
        b.writeBytes(l4);
        return b.toByteArray();
    }

    static byte[] v6(Random r) {
        byte[] a = new byte[16];
        switch (r.nextInt(4)) {
            case 0:
                a[15] = 1; // ::1
                break;
            case 1:
                a[0] = 0x20;
                a[1] = 0x01;
                a[2] = 0x0d;
                a[3] = (byte) 0xb8;
                a[15] = (byte) r.nextInt(256);
                break;
            default:
                r.nextBytes(a);
        }
        return a;
    }

    static byte[] l4(Random r, int proto) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int payloadLen = new int[] {0, 4, 20, 100, 900, 1100}[r.nextInt(6)];
        byte[] payload = bytes(r, payloadLen);
        if (payloadLen >= 4 && r.nextInt(3) == 0) {
            payload[0] = 'G';
            payload[1] = 'E';
            payload[2] = 'T';
            payload[3] = ' ';
        }
        if (payloadLen >= 2 && r.nextInt(3) == 0) {
            payload[0] = 0x12;
            payload[1] = 0x34;
        }
        switch (proto) {
            case 6: {
                put16(b, PORTS[r.nextInt(PORTS.length)]);
                put16(b, PORTS[r.nextInt(PORTS.length)]);
                put32(b, r.nextInt());
                put32(b, r.nextInt());
                int off = r.nextInt(4) == 0 ? 5 + r.nextInt(4) : 5;
                b.write(off << 4);
                b.write(new int[] {0x02, 0x12, 0x10, 0x18, 0x01, 0x04}[r.nextInt(6)]);
                put16(b, 0xffff);
                put32(b, 0);
                b.writeBytes(bytes(r, (off - 5) * 4));
                break;
            }
            case 17:
            case 132:
                put16(b, PORTS[r.nextInt(PORTS.length)]);
                put16(b, PORTS[r.nextInt(PORTS.length)]);
                put16(b, 8 + payloadLen);
                put16(b, 0);
                break;
            case 1:
                b.write(new int[] {0, 8, 3, 11, 128, 129}[r.nextInt(6)]);
                b.write(0);
                put16(b, 0);
                put32(b, r.nextInt());
                break;
            default:
                b.writeBytes(bytes(r, 4));
        }
        b.writeBytes(payload);
        return b.toByteArray();
    }

    static byte[] bytes(Random r, int n) {
        byte[] a = new byte[n];
        r.nextBytes(a);
        return a;
    }

    static void put16(ByteArrayOutputStream b, int v) {
        b.write(v >> 8);
        b.write(v);
    }

    static void put32(ByteArrayOutputStream b, int v) {
        put16(b, v >>> 16);
        put16(b, v & 0xffff);
    }
}
