package io.jbpf.core.dsl.filter;

import java.util.Locale;

/**
 * A one-line, tcpdump-style summary of an Ethernet frame, e.g.
 * {@code IP 10.0.0.1.40000 > 10.0.0.2.80: tcp 0 [S]}, {@code IP6 2001:db8::1 > 2001:db8::2: ICMP6 echo request},
 * {@code ARP who-has 10.0.0.2 tell 10.0.0.1}, {@code vlan 10 IP ...}. Short or malformed frames
 * give a summary that says so; it never throws.
 */
public final class PacketSummary {
    private PacketSummary() {
    }

    /** The summary of {@code frame} (captured bytes from the Ethernet header on). */
    public static String of(byte[] frame) {
        try {
            return summarize(frame);
        } catch (IndexOutOfBoundsException e) {
            return "truncated frame (" + frame.length + " bytes)";
        }
    }

    private static int u8(byte[] b, int o) {
        return b[o] & 0xff;
    }

    private static int u16(byte[] b, int o) {
        return (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    private static String summarize(byte[] f) {
        if (f.length < 14) {
            return "truncated ethernet header (" + f.length + " bytes)";
        }
        StringBuilder s = new StringBuilder();
        int off = 12;
        int type = u16(f, off);
        while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && f.length >= off + 6) {
            s.append("vlan ").append(u16(f, off + 2) & 0xfff).append(' ');
            off += 4;
            type = u16(f, off);
        }
        int l3 = off + 2;
        switch (type) {
            case 0x0800:
                return s.append(ipv4(f, l3)).toString();
            case 0x86dd:
                return s.append(ipv6(f, l3)).toString();
            case 0x0806:
            case 0x8035:
                return s.append(arp(f, l3, type == 0x8035)).toString();
            default:
                if (type <= 1500) {
                    return s.append(String.format(Locale.ROOT, "802.3 length %d LLC dsap 0x%02x", type,
                            f.length > l3 ? u8(f, l3) : 0)).toString();
                }
                return s.append(String.format(Locale.ROOT, "ethertype 0x%04x, length %d", type, f.length)).toString();
        }
    }

    private static String v4(byte[] b, int o) {
        return u8(b, o) + "." + u8(b, o + 1) + "." + u8(b, o + 2) + "." + u8(b, o + 3);
    }

    private static String ipv4(byte[] f, int o) {
        int ihl = (u8(f, o) & 0xf) * 4;
        int total = u16(f, o + 2);
        int frag = u16(f, o + 6);
        int proto = u8(f, o + 9);
        String src = v4(f, o + 12);
        String dst = v4(f, o + 16);
        int l4 = o + ihl;
        int payload = Math.max(0, total - ihl);
        if ((frag & 0x1fff) != 0) {
            return "IP " + src + " > " + dst + ": ip-proto-" + proto + " (fragment offset " + (frag & 0x1fff) * 8 + ")";
        }
        return "IP " + transport(f, proto, l4, payload, src, dst, false);
    }

    private static String ipv6(byte[] f, int o) {
        StringBuilder src = new StringBuilder();
        StringBuilder dst = new StringBuilder();
        src.append(v6(f, o + 8));
        dst.append(v6(f, o + 24));
        int next = u8(f, o + 6);
        int payload = u16(f, o + 4);
        int l4 = o + 40;
        for (int i = 0; i < 8 && (next == 0 || next == 43 || next == 44 || next == 60); i++) {
            int len = next == 44 ? 8 : (u8(f, l4 + 1) + 1) * 8;
            if (next == 44 && (u16(f, l4 + 2) & 0xfff8) != 0) {
                return "IP6 " + src + " > " + dst + ": frag (offset " + (u16(f, l4 + 2) & 0xfff8) + ")";
            }
            next = u8(f, l4);
            l4 += len;
            payload -= len;
        }
        return "IP6 " + transport(f, next, l4, Math.max(0, payload), src.toString(), dst.toString(), true);
    }

    /** RFC 5952 text: lower-case hex, the longest run (two or more) of zero groups as "::". */
    private static String v6(byte[] b, int o) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = u16(b, o + 2 * i);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    private static String transport(byte[] f, int proto, int l4, int payload, String src, String dst, boolean v6) {
        String sep = v6 ? "." : ".";
        switch (proto) {
            case 6: {
                int doff = (u8(f, l4 + 12) >> 4) * 4;
                int flags = u8(f, l4 + 13);
                StringBuilder fl = new StringBuilder();
                String names = "FSRP.UEW";
                for (int i = 0; i < 8; i++) {
                    if ((flags & (1 << i)) != 0) {
                        fl.append(names.charAt(i));
                    }
                }
                return src + sep + u16(f, l4) + " > " + dst + sep + u16(f, l4 + 2) + ": tcp " + Math.max(0, payload - doff)
                        + (fl.length() > 0 ? " [" + fl + "]" : "");
            }
            case 17:
                return src + sep + u16(f, l4) + " > " + dst + sep + u16(f, l4 + 2) + ": UDP, length "
                        + Math.max(0, u16(f, l4 + 4) - 8);
            case 132:
                return src + sep + u16(f, l4) + " > " + dst + sep + u16(f, l4 + 2) + ": sctp";
            case 1:
            case 58: {
                int t = u8(f, l4);
                String what;
                if (proto == 1) {
                    what = t == 8 ? "echo request" : t == 0 ? "echo reply" : t == 3 ? "unreachable" : "type " + t;
                    return src + " > " + dst + ": ICMP " + what + ", length " + payload;
                }
                what = t == 128 ? "echo request" : t == 129 ? "echo reply" : t == 135 ? "neighbor solicitation"
                        : t == 136 ? "neighbor advertisement" : t == 133 ? "router solicitation" : "type " + t;
                return src + " > " + dst + ": ICMP6 " + what + ", length " + payload;
            }
            default:
                return src + " > " + dst + ": ip-proto-" + proto + " " + payload;
        }
    }

    private static String arp(byte[] f, int o, boolean rarp) {
        int op = u16(f, o + 6);
        String sender = v4(f, o + 14);
        String target = v4(f, o + 24);
        String name = rarp ? "RARP" : "ARP";
        if (op == 1) {
            return name + " who-has " + target + " tell " + sender;
        }
        if (op == 2) {
            return name + " reply " + sender + " is-at " + String.format(Locale.ROOT, "%02x:%02x:%02x:%02x:%02x:%02x",
                    u8(f, o + 8), u8(f, o + 9), u8(f, o + 10), u8(f, o + 11), u8(f, o + 12), u8(f, o + 13));
        }
        return name + " op " + op + " " + sender + " > " + target;
    }
}
