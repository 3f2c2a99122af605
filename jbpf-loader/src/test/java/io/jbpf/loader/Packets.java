package io.jbpf.loader;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded random frames for differential tests: valid Ethernet (0–2 VLAN tags) / IPv4 (options,
 * fragments) / IPv6 / TCP (options) / UDP / ICMP / ICMPv6 frames with correct lengths and
 * checksums, and malformed ones: truncated at (and next to) every header boundary, wrong IPv4
 * total length, IHL, version, TCP data offset, UDP length, broken checksums, and random bytes.
 * Addresses and ports come from small pools so flows repeat. Every frame has at least an Ethernet
 * header's 14 bytes (the least BPF_PROG_TEST_RUN takes).
 */
final class Packets {
    private final Random rnd;
    private byte[] last;
    private List<Integer> lastBoundaries = List.of();
    private int boundary;

    Packets(Random rnd) {
        this.rnd = rnd;
    }

    /** Packet number {@code n}: valid and malformed ones interleaved. */
    byte[] next(int n) {
        // walk every header boundary of the last valid frame before building another one
        if (last != null && boundary < lastBoundaries.size()) {
            int cut = lastBoundaries.get(boundary++) + (rnd.nextInt(3) - 1);
            if (cut >= 14 && cut < last.length) {
                return Arrays.copyOf(last, cut);
            }
        }
        int kind = rnd.nextInt(10);
        if (kind == 0) {
            byte[] b = new byte[14 + rnd.nextInt(120)];
            rnd.nextBytes(b);
            if (rnd.nextBoolean()) {
                b[12] = rnd.nextBoolean() ? (byte) 0x08 : (byte) 0x86;
                b[13] = b[12] == 0x08 ? 0 : (byte) 0xdd;
            }
            return b;
        }
        byte[] valid = valid();
        if (kind <= 5) {
            if (rnd.nextInt(3) == 0) {
                last = valid;
                boundary = 0;
            }
            return valid;
        }
        return corrupt(valid);
    }

    private byte[] corrupt(byte[] p) {
        byte[] b = p.clone();
        int l3 = l3Offset(b);
        switch (rnd.nextInt(7)) {
            case 0: // wrong IPv4 total length or IPv6 payload length
                if (l3 + 4 <= b.length) {
                    int v = rnd.nextInt(0x10000);
                    b[l3 + 2] = (byte) (v >> 8);
                    b[l3 + 3] = (byte) v;
                }
                break;
            case 1: // bad IHL / version
                if (l3 < b.length) {
                    b[l3] = (byte) (rnd.nextInt(16) << 4 | rnd.nextInt(16));
                }
                break;
            case 2: { // bad TCP data offset or UDP length
                int l4 = l4Offset(b, l3);
                if (l4 > 0 && l4 + 13 <= b.length) {
                    b[l4 + 12] = (byte) (rnd.nextInt(16) << 4);
                    b[l4 + 4] = (byte) rnd.nextInt(256);
                    b[l4 + 5] = (byte) rnd.nextInt(256);
                }
                break;
            }
            case 3: // one random byte anywhere
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                break;
            case 4: // truncated anywhere
                return Arrays.copyOf(b, 14 + rnd.nextInt(b.length - 13));
            case 5: // trailing garbage
                byte[] t = Arrays.copyOf(b, b.length + 1 + rnd.nextInt(40));
                for (int i = b.length; i < t.length; i++) {
                    t[i] = (byte) rnd.nextInt(256);
                }
                return t;
            default: // TTL 0/1 or a broken checksum
                if (l3 + 12 <= b.length) {
                    b[l3 + (rnd.nextBoolean() ? 8 : 10)] = (byte) rnd.nextInt(3);
                }
        }
        return b;
    }

    private static int l3Offset(byte[] b) {
        int off = 12;
        while (off + 2 <= b.length && ((b[off] & 0xff) << 8 | (b[off + 1] & 0xff)) == 0x8100
                || off + 2 <= b.length && ((b[off] & 0xff) << 8 | (b[off + 1] & 0xff)) == 0x88a8) {
            off += 4;
        }
        return off + 2;
    }

    private static int l4Offset(byte[] b, int l3) {
        if (l3 >= b.length) {
            return -1;
        }
        int v = (b[l3] & 0xff) >> 4;
        return v == 4 ? l3 + (b[l3] & 0xf) * 4 : v == 6 ? l3 + 40 : -1;
    }

    private byte[] valid() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> bounds = new ArrayList<>();
        out.writeBytes(new byte[] {2, 0, 0, 0, 0, (byte) (1 + rnd.nextInt(3)), 2, 0, 0, 0, 0, (byte) (1 + rnd.nextInt(3))});
        int tags = rnd.nextInt(6) == 0 ? 1 + rnd.nextInt(2) : 0;
        for (int i = 0; i < tags; i++) {
            int tpid = i == 0 && tags == 2 ? 0x88a8 : 0x8100;
            int vid = rnd.nextInt(4096);
            out.writeBytes(new byte[] {(byte) (tpid >> 8), (byte) tpid, (byte) (vid >> 8), (byte) vid});
            bounds.add(out.size());
        }
        int l3 = rnd.nextInt(10);
        byte[] l4 = null;
        int proto = 0;
        if (l3 < 9) {
            proto = switch (rnd.nextInt(8)) {
                case 0, 1, 2 -> 6;
                case 3, 4, 5 -> 17;
                case 6 -> l3 < 5 ? 1 : 58;
                default -> rnd.nextInt(256);
            };
        }
        byte[] payload = new byte[rnd.nextInt(4) == 0 ? 0 : rnd.nextInt(64)];
        rnd.nextBytes(payload);
        if (proto == 6) {
            int opts = rnd.nextInt(3) == 0 ? 4 * (1 + rnd.nextInt(4)) : 0;
            l4 = new byte[20 + opts + payload.length];
            put16(l4, 0, port());
            put16(l4, 2, port());
            put32(l4, 4, rnd.nextInt());
            put32(l4, 8, rnd.nextInt());
            l4[12] = (byte) ((5 + opts / 4) << 4);
            l4[13] = (byte) (rnd.nextInt(8) == 0 ? 0x03 : 1 << rnd.nextInt(6)); // sometimes SYN+FIN
            put16(l4, 14, 0xffff);
            for (int i = 0; i < opts; i++) {
                l4[20 + i] = 1; // NOP
            }
            System.arraycopy(payload, 0, l4, 20 + opts, payload.length);
        } else if (proto == 17) {
            l4 = new byte[8 + payload.length];
            put16(l4, 0, port());
            put16(l4, 2, port());
            put16(l4, 4, l4.length);
            System.arraycopy(payload, 0, l4, 8, payload.length);
        } else if (proto == 1 || proto == 58) {
            l4 = new byte[8 + payload.length];
            l4[0] = (byte) (rnd.nextBoolean() ? (proto == 1 ? 8 : 128) : rnd.nextInt(256));
            l4[1] = (byte) (rnd.nextInt(4) == 0 ? rnd.nextInt(256) : 0);
            put32(l4, 4, rnd.nextInt());
            System.arraycopy(payload, 0, l4, 8, payload.length);
        } else if (l3 < 9) {
            l4 = payload; // any other protocol (0 included): opaque bytes
        }
        if (l3 < 5) {
            out.writeBytes(new byte[] {8, 0});
            bounds.add(out.size());
            int options = rnd.nextInt(4) == 0 ? 4 * (1 + rnd.nextInt(10)) : 0;
            byte[] ip = new byte[20 + options];
            ip[0] = (byte) (0x40 | (5 + options / 4));
            ip[1] = (byte) rnd.nextInt(256);
            put16(ip, 2, ip.length + l4.length);
            put16(ip, 4, rnd.nextInt(0x10000));
            int frag = rnd.nextInt(8) == 0 ? rnd.nextInt(0x2000) | (rnd.nextBoolean() ? 0x2000 : 0) : 0x4000;
            put16(ip, 6, frag);
            int[] ttls = {0, 1, 2, 3, 64, 255};
            ip[8] = (byte) ttls[rnd.nextInt(ttls.length)];
            ip[9] = (byte) proto;
            byte[] src = {10, 0, 0, (byte) (1 + rnd.nextInt(3))};
            byte[] dst = {10, 0, 0, (byte) (1 + rnd.nextInt(3))};
            System.arraycopy(src, 0, ip, 12, 4);
            System.arraycopy(dst, 0, ip, 16, 4);
            for (int i = 20; i < ip.length; i++) {
                ip[i] = 1; // NOP options
            }
            put16(ip, 10, checksum(ip, 0, ip.length, 0));
            if (proto == 6 || proto == 17 || proto == 1) {
                int pseudo = proto == 1 ? 0 : pseudo(src, dst, proto, l4.length);
                int at = proto == 6 ? 16 : proto == 17 ? 6 : 2;
                int c = checksum(l4, 0, l4.length, pseudo);
                put16(l4, at, proto == 17 && c == 0 ? 0xffff : c);
            }
            out.writeBytes(ip);
            bounds.add(out.size());
        } else if (l3 < 9) {
            out.writeBytes(new byte[] {(byte) 0x86, (byte) 0xdd});
            bounds.add(out.size());
            byte[] ip = new byte[40];
            ip[0] = 0x60;
            put16(ip, 4, l4.length);
            ip[6] = (byte) proto;
            ip[7] = (byte) new int[] {0, 1, 2, 64, 255}[rnd.nextInt(5)];
            ip[8] = (byte) 0xfd;
            ip[23] = (byte) (1 + rnd.nextInt(3));
            ip[24] = (byte) 0xfd;
            ip[39] = (byte) (1 + rnd.nextInt(3));
            out.writeBytes(ip);
            bounds.add(out.size());
        } else {
            out.writeBytes(new byte[] {8, 6}); // ARP, as opaque bytes
            bounds.add(out.size());
            out.writeBytes(payload);
        }
        if (l4 != null) {
            if (proto == 6 || proto == 17 || proto == 1 || proto == 58) {
                bounds.add(out.size() + (proto == 6 ? 20 : 8));
            }
            out.writeBytes(l4);
        }
        lastBoundaries = bounds;
        byte[] frame = out.toByteArray();
        return frame.length >= 14 ? frame : Arrays.copyOf(frame, 14);
    }

    private int port() {
        int[] ports = {53, 80, 443, 1234, 8080};
        return ports[rnd.nextInt(ports.length)];
    }

    private static int pseudo(byte[] src, byte[] dst, int proto, int length) {
        byte[] p = new byte[12];
        System.arraycopy(src, 0, p, 0, 4);
        System.arraycopy(dst, 0, p, 4, 4);
        p[9] = (byte) proto;
        put16(p, 10, length);
        return ~checksum(p, 0, 12, 0) & 0xffff;
    }

    /** The Internet checksum of {@code b[off, off+len)} plus {@code initial}, complemented. */
    static int checksum(byte[] b, int off, int len, int initial) {
        long sum = initial;
        for (int i = 0; i < len; i += 2) {
            sum += (b[off + i] & 0xff) << 8 | (i + 1 < len ? b[off + i + 1] & 0xff : 0);
        }
        while (sum >> 16 != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) ~sum & 0xffff;
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >> 8);
        b[at + 1] = (byte) v;
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v >>> 16);
        put16(b, at + 2, v);
    }
}
