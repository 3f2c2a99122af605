package io.jbpf.core.dsl.filter.internal;

import static io.jbpf.core.dsl.filter.internal.Bpf.*;

import io.jbpf.core.dsl.filter.PcapFilterException;
import io.jbpf.core.dsl.filter.internal.Ast.*;
import io.jbpf.core.dsl.filter.internal.Cond.Stmt;
import io.jbpf.core.dsl.filter.internal.Cond.Test;
import io.jbpf.core.dsl.filter.internal.Qual.Proto;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the syntax tree into {@link Cond} tests with libpcap's meaning for link type Ethernet
 * (DLT_EN10MB): what each primitive checks and where it loads from. The tree is walked in text
 * order because {@code vlan} moves every later offset by 4, as libpcap's does.
 */
public final class CodeGen {
    private static final int ETHERMTU = 1500;
    private static final int ETH_IP = 0x0800, ETH_ARP = 0x0806, ETH_RARP = 0x8035, ETH_IPV6 = 0x86dd;
    private static final int P_ICMP = 1, P_IGMP = 2, P_TCP = 6, P_IGRP = 9, P_UDP = 17, P_FRAG = 44, P_ESP = 50,
            P_AH = 51, P_ICMPV6 = 58, P_PIM = 103, P_VRRP = 112, P_SCTP = 132;
    /** A port primitive without tcp/udp/sctp: any of the three. */
    private static final int ANY = -1;

    private int offLinkType = 12;
    private int offLinkPl = 14;
    private int scratch;
    private Token at;

    private CodeGen() {
    }

    /** The condition for {@code e}; null means "match everything" (an empty expression). */
    public static Cond generate(Expr e) {
        return e == null ? new Cond.Const(true) : new CodeGen().gen(e);
    }

    private PcapFilterException fail(String msg) {
        return at == null ? new PcapFilterException(0, 0, msg) : new PcapFilterException(at.line(), at.column(), msg);
    }

    private Cond gen(Expr e) {
        if (e instanceof And a) {
            Cond l = gen(a.l());
            return Cond.and(l, gen(a.r()));
        }
        if (e instanceof Or o) {
            Cond l = gen(o.l());
            return Cond.or(l, gen(o.r()));
        }
        if (e instanceof Not n) {
            return Cond.not(gen(n.e()));
        }
        if (e instanceof Primitive p) {
            at = p.at();
            return primitive(p);
        }
        if (e instanceof Abbrev ab) {
            at = ab.at();
            return abbrev(ab.proto());
        }
        if (e instanceof Relation r) {
            at = r.at();
            return relation(r);
        }
        Other o = (Other) e;
        at = o.at();
        return other(o);
    }

    // ---- basic tests ----

    private static Stmt ld(int size, int off) {
        return new Stmt(LD | size | ABS, off);
    }

    private static Test cmp(int size, int off, long k) {
        return new Test(List.of(ld(size, off)), JMP | JEQ | Bpf.K, (int) k);
    }

    private static Cond mcmp(int size, int off, long k, long mask) {
        long full = size == W ? 0xffffffffL : size == H ? 0xffff : 0xff;
        if ((mask & full) == full) {
            return cmp(size, off, k);
        }
        if (k == 0) {
            // (v & mask) == 0 is "no bit of mask set"
            return Cond.not(jump(size, off, JSET, mask));
        }
        return new Test(List.of(ld(size, off), new Stmt(ALU | AND | Bpf.K, (int) mask)), JMP | JEQ | Bpf.K, (int) k);
    }

    private static Test jump(int size, int off, int jop, long k) {
        return new Test(List.of(ld(size, off)), JMP | jop | Bpf.K, (int) k);
    }

    private Cond linktype(long proto) {
        if (proto <= ETHERMTU) {
            Cond isLength = Cond.not(jump(H, offLinkType, JGT, ETHERMTU));
            if (proto == 0xfe || proto == 0x06 || proto == 0xf0) {
                return Cond.and(isLength, cmp(H, offLinkPl, proto << 8 | proto));
            }
            if (proto == 0xe0) {
                throw fail("ether proto 0xe0 (IPX) is not supported by this compiler");
            }
            return Cond.and(isLength, cmp(B, offLinkPl, proto));
        }
        return cmp(H, offLinkType, proto);
    }

    private int nl() {
        return offLinkPl;
    }

    private Cond ipfrag() {
        return Cond.not(jump(H, nl() + 6, JSET, 0x1fff));
    }

    private Test tcmp4(int off, int jop, long k) {
        return new Test(List.of(new Stmt(LDX | B | MSH, nl()), new Stmt(LD | H | IND, nl() + off)), JMP | jop | Bpf.K, (int) k);
    }

    // ---- primitives with ids ----

    private Cond primitive(Primitive p) {
        Qual q = p.q();
        Value v = p.value();
        if (v instanceof Name n) {
            return scode(q, n.text());
        }
        if (v instanceof Eid eid) {
            if ((q.addr() == Qual.Addr.HOST || q.addr() == Qual.Addr.DEFAULT)
                    && q.proto() == Proto.LINK) {
                return ehost(eid.mac(), q.dir());
            }
            throw fail("ethernet address used in non-ether expression");
        }
        if (v instanceof Hid6 h6) {
            return mcode6(q, h6);
        }
        if (v instanceof Hid h) {
            switch (q.addr()) {
                case PORT: throw fail("'port' modifier applied to IP address");
                case PORTRANGE: throw fail("'portrange' modifier applied to IP address");
                case PROTO: throw fail("'proto' modifier applied to IP address");
                default: break;
            }
            if (h.mask() != null || h.len() >= 0) {
                return mcode(q, h);
            }
            int[] vl = atoin(h.text());
            return ncode(q, vl[0] & 0xffffffffL, vl[1], false);
        }
        return ncode(q, ((Num) v).v(), 32, true);
    }

    /** {value, bit length} of a dotted decimal address or prefix, as libpcap's __pcap_atoin. */
    private int[] atoin(String s) {
        String[] parts = s.split("\\.");
        long v = 0;
        for (String part : parts) {
            long n = Long.parseLong(part);
            if (n > 255) {
                throw fail("invalid IPv4 address '" + s + "'");
            }
            v = v << 8 | n;
        }
        return new int[] {(int) v, 8 * parts.length};
    }

    private Cond ncode(Qual q, long v, int vlen, boolean isNum) {
        switch (q.addr()) {
            case DEFAULT: case HOST: case NET: {
                if (q.proto() == Proto.LINK) {
                    throw fail("illegal link layer address");
                }
                long mask = 0xffffffffL;
                if (isNum && q.addr() == Qual.Addr.NET) {
                    while (v != 0 && (v & 0xff000000L) == 0) {
                        v = (v << 8) & 0xffffffffL;
                        mask = (mask << 8) & 0xffffffffL;
                    }
                } else if (!isNum) {
                    v = (v << (32 - vlen)) & 0xffffffffL;
                    mask = (mask << (32 - vlen)) & 0xffffffffL;
                }
                return host(v, mask, q.proto(), q.dir(), q.addr());
            }
            case PORT: case PORTRANGE: {
                int ipProto = portProto(q, null, ANY);
                if (v > 65535) {
                    throw fail("illegal port number " + v + " > 65535");
                }
                return ports(q.dir(), ipProto, v, v, q.addr() == Qual.Addr.PORTRANGE);
            }
            case PROTO:
                return proto(v, q.proto(), q.dir());
            default:
                throw fail("'" + q.addr().name().toLowerCase() + "' is not supported by this compiler");
        }
    }

    private int portProto(Qual q, String name, int real) {
        String what = q.addr() == Qual.Addr.PORTRANGE ? "portrange" : "port";
        switch (q.proto()) {
            case DEFAULT:
                return real;
            case UDP:
                if (real == P_TCP) {
                    throw fail(what + " '" + name + "' is tcp");
                }
                return P_UDP;
            case TCP:
                if (real == P_UDP) {
                    throw fail(what + " '" + name + "' is udp");
                }
                return P_TCP;
            case SCTP:
                if (real == P_TCP || real == P_UDP) {
                    throw fail(what + " '" + name + "' is " + (real == P_TCP ? "tcp" : "udp"));
                }
                return P_SCTP;
            default:
                throw fail("illegal qualifier of '" + what + "'");
        }
    }

    private Cond scode(Qual q, String name) {
        switch (q.addr()) {
            case DEFAULT: case HOST: case NET:
                throw fail("'" + name + "' is a name: this compiler never resolves host or network names;"
                        + " write the address");
            case PORT: {
                int[] s = Names.service(name);
                if (s == null) {
                    throw fail("unknown port '" + name + "' (only numbers and well-known service names are known)");
                }
                int real = s[1] == 1 && s[2] == 1 ? ANY : s[1] == 1 ? P_TCP : P_UDP;
                return ports(q.dir(), portProto(q, name, real), s[0], s[0], false);
            }
            case PORTRANGE: {
                int dash = name.indexOf('-');
                if (dash <= 0 || dash == name.length() - 1) {
                    throw fail("illegal port range '" + name + "' (expected like 1-1024)");
                }
                long lo = portNumber(name.substring(0, dash));
                long hi = portNumber(name.substring(dash + 1));
                return ports(q.dir(), portProto(q, name, ANY), lo, hi, true);
            }
            case PROTO: {
                Integer n;
                if (q.proto() == Proto.LINK) {
                    n = Names.etherProto(name);
                } else if (q.proto() == Proto.IP || q.proto() == Proto.IPV6 || q.proto() == Proto.DEFAULT) {
                    n = Names.ipProto(name);
                } else {
                    throw fail("'" + q.proto().keyword() + "' does not carry a protocol number");
                }
                if (n == null) {
                    throw fail("unknown " + (q.proto() == Proto.LINK ? "ether" : "ip") + " proto '" + name + "'");
                }
                return proto(n, q.proto(), q.dir());
            }
            default:
                throw fail("'" + q.addr().name().toLowerCase() + "' is not supported by this compiler");
        }
    }

    private long portNumber(String s) {
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            long v = Long.parseLong(s);
            if (v > 65535) {
                throw fail("illegal port number " + v + " > 65535");
            }
            return v;
        }
        int[] sv = Names.service(s);
        if (sv == null) {
            throw fail("unknown port in range '" + s + "'");
        }
        return sv[0];
    }

    private Cond mcode(Qual q, Hid h) {
        int[] nv = atoin(h.text());
        long n = (nv[0] & 0xffffffffL) << (32 - nv[1]) & 0xffffffffL;
        long m;
        if (h.mask() != null) {
            int[] mv = atoin(h.mask());
            m = (mv[0] & 0xffffffffL) << (32 - mv[1]) & 0xffffffffL;
            if ((n & ~m) != 0) {
                throw fail("non-network bits set in \"" + h.text() + " mask " + h.mask() + "\"");
            }
        } else {
            if (h.len() > 32) {
                throw fail("mask length must be <= 32");
            }
            m = h.len() == 0 ? 0 : (0xffffffffL << (32 - h.len())) & 0xffffffffL;
            if ((n & ~m) != 0) {
                throw fail("non-network bits set in \"" + h.text() + "/" + h.len() + "\"");
            }
        }
        if (q.addr() != Qual.Addr.NET) {
            throw fail("Mask syntax for networks only");
        }
        return host(n, m, q.proto(), q.dir(), q.addr());
    }

    private Cond host(long addr, long mask, Proto proto, Qual.Dir dir, Qual.Addr type) {
        String typeStr = type == Qual.Addr.NET ? "net" : "host";
        if (mask == 0 && addr == 0 && (proto == Proto.IP || proto == Proto.ARP || proto == Proto.RARP)) {
            // net 0/0: only the protocol is checked, no address is loaded (libpcap does the same, so
            // a packet too short to hold the address still matches)
            return linktype(proto == Proto.IP ? ETH_IP : proto == Proto.ARP ? ETH_ARP : ETH_RARP);
        }
        switch (proto) {
            case DEFAULT: {
                Cond b0 = host(addr, mask, Proto.IP, dir, type);
                Cond b1 = host(addr, mask, Proto.ARP, dir, type);
                Cond b2 = host(addr, mask, Proto.RARP, dir, type);
                return Cond.or(Cond.or(b0, b1), b2);
            }
            case LINK:
                throw fail("link-layer modifier applied to " + typeStr);
            case IP:
                return Cond.and(linktype(ETH_IP), hostop(addr, mask, dir, nl() + 12, nl() + 16));
            case ARP:
                return Cond.and(linktype(ETH_ARP), hostop(addr, mask, dir, nl() + 14, nl() + 24));
            case RARP:
                return Cond.and(linktype(ETH_RARP), hostop(addr, mask, dir, nl() + 14, nl() + 24));
            case IPV6:
                throw fail("'ip6' modifier applied to ip " + typeStr);
            default:
                throw fail("'" + proto.keyword() + "' modifier applied to " + typeStr);
        }
    }

    private Cond hostop(long addr, long mask, Qual.Dir dir, int srcOff, int dstOff) {
        switch (dir) {
            case SRC:
                return mcmp(W, srcOff, addr, mask);
            case DST:
                return mcmp(W, dstOff, addr, mask);
            case AND:
                return Cond.and(mcmp(W, srcOff, addr, mask), mcmp(W, dstOff, addr, mask));
            default:
                return Cond.or(mcmp(W, srcOff, addr, mask), mcmp(W, dstOff, addr, mask));
        }
    }

    private Cond mcode6(Qual q, Hid6 h) {
        if (h.addr() == null) {
            throw fail("invalid IPv6 address '" + h.text() + "'");
        }
        if (h.len() > 128) {
            throw fail("mask length must be <= 128");
        }
        switch (q.addr()) {
            case PORT: throw fail("'port' modifier applied to IP address");
            case PORTRANGE: throw fail("'portrange' modifier applied to IP address");
            case PROTO: throw fail("'proto' modifier applied to IP address");
            default: break;
        }
        byte[] mask = new byte[16];
        for (int i = 0; i < 16; i++) {
            int bits = Math.max(0, Math.min(8, h.len() - 8 * i));
            mask[i] = (byte) (0xff00 >> bits);
        }
        for (int i = 0; i < 16; i++) {
            if ((h.addr()[i] & ~mask[i]) != 0) {
                throw fail("non-network bits set in \"" + h.text() + "/" + h.len() + "\"");
            }
        }
        if (q.addr() == Qual.Addr.HOST || q.addr() == Qual.Addr.DEFAULT) {
            if (h.len() != 128) {
                throw fail("Mask syntax for networks only");
            }
        } else if (q.addr() != Qual.Addr.NET) {
            throw fail("invalid qualifier against IPv6 address");
        }
        String typeStr = q.addr() == Qual.Addr.NET ? "net" : "host";
        if (q.proto() != Proto.DEFAULT && q.proto() != Proto.IPV6) {
            throw fail("'" + q.proto().keyword() + "' modifier applied to ip6 " + typeStr);
        }
        Cond src = hostop6(h.addr(), mask, nl() + 8);
        Cond dst = hostop6(h.addr(), mask, nl() + 24);
        Cond b;
        switch (q.dir()) {
            case SRC: b = src; break;
            case DST: b = dst; break;
            case AND: b = Cond.and(src, dst); break;
            default: b = Cond.or(src, dst); break;
        }
        return Cond.and(linktype(ETH_IPV6), b);
    }

    private static long word(byte[] b, int i) {
        return ((b[4 * i] & 0xffL) << 24) | ((b[4 * i + 1] & 0xffL) << 16) | ((b[4 * i + 2] & 0xffL) << 8) | (b[4 * i + 3] & 0xffL);
    }

    private Cond hostop6(byte[] addr, byte[] mask, int off) {
        Cond c = null;
        for (int i = 0; i < 4; i++) {
            long m = word(mask, i);
            if (m == 0) {
                continue;
            }
            c = Cond.and(c, mcmp(W, off + 4 * i, word(addr, i) & m, m));
        }
        return c == null ? new Cond.Const(true) : c;
    }

    private Cond ehost(byte[] mac, Qual.Dir dir) {
        switch (dir) {
            case SRC:
                return bcmp6(6, mac);
            case DST:
                return bcmp6(0, mac);
            case AND:
                return Cond.and(bcmp6(6, mac), bcmp6(0, mac));
            default:
                return Cond.or(bcmp6(6, mac), bcmp6(0, mac));
        }
    }

    /** Six bytes at {@code off}: a word at off+2 then a half word at off, as libpcap compares them. */
    private static Cond bcmp6(int off, byte[] mac) {
        long w = ((mac[2] & 0xffL) << 24) | ((mac[3] & 0xffL) << 16) | ((mac[4] & 0xffL) << 8) | (mac[5] & 0xffL);
        long h = ((mac[0] & 0xffL) << 8) | (mac[1] & 0xffL);
        return Cond.and(cmp(W, off + 2, w), cmp(H, off, h));
    }

    // ---- ports ----

    private Cond ports(Qual.Dir dir, int ipProto, long lo, long hi, boolean range) {
        if (lo > hi) {
            long t = lo;
            lo = hi;
            hi = t;
        }
        Cond v6 = portFamily(true, dir, ipProto, lo, hi, range);
        Cond v4 = portFamily(false, dir, ipProto, lo, hi, range);
        return Cond.or(v6, v4);
    }

    private Cond portFamily(boolean v6, Qual.Dir dir, int ipProto, long lo, long hi, boolean range) {
        Cond b;
        if (ipProto == ANY) {
            // libpcap's three alternatives, kept apart: on the udp path a later "udp" is known
            // true, so the port loads can go there as in libpcap; identical tails merge later
            // libpcap's order: SCTP, then TCP, then UDP
            b = Cond.or(portOp(v6, P_SCTP, dir, lo, hi, range),
                    Cond.or(portOp(v6, P_TCP, dir, lo, hi, range), portOp(v6, P_UDP, dir, lo, hi, range)));
        } else {
            b = portOp(v6, ipProto, dir, lo, hi, range);
        }
        return Cond.and(linktype(v6 ? ETH_IPV6 : ETH_IP), b);
    }

    /**
     * libpcap's "tcp or udp or sctp" alternatives for a port without a protocol differ only in the
     * protocol number, which they test first; (p1 or p2 or p3) and rest means the same.
     */
    private Cond protoIs(boolean v6, int ipProto) {
        int off = nl() + (v6 ? 6 : 9);
        if (ipProto == ANY) {
            return Cond.or(Cond.or(cmp(B, off, P_TCP), cmp(B, off, P_UDP)), cmp(B, off, P_SCTP));
        }
        return cmp(B, off, ipProto);
    }

    private Cond portOp(boolean v6, int ipProto, Qual.Dir dir, long lo, long hi, boolean range) {
        Cond pre = v6 ? protoIs(true, ipProto) : Cond.and(protoIs(false, ipProto), ipfrag());
        Cond src = portAtom(v6, 0, lo, hi, range);
        Cond dst = portAtom(v6, 2, lo, hi, range);
        Cond b;
        switch (dir) {
            case SRC: b = src; break;
            case DST: b = dst; break;
            case AND: b = Cond.and(src, dst); break;
            default: b = Cond.or(src, dst); break;
        }
        return Cond.and(pre, b);
    }

    private Cond portAtom(boolean v6, int off, long lo, long hi, boolean range) {
        // libpcap compiles even a one-port range as two comparisons (and so decides less about it)
        if (!range) {
            return v6 ? cmp(H, nl() + 40 + off, lo) : tcmp4(off, JEQ, lo);
        }
        Cond ge = v6 ? jump(H, nl() + 40 + off, JGE, lo) : tcmp4(off, JGE, lo);
        Cond gt = v6 ? jump(H, nl() + 40 + off, JGT, hi) : tcmp4(off, JGT, hi);
        return Cond.and(ge, Cond.not(gt));
    }

    // ---- protocols ----

    private Cond proto(long v, Proto proto, Qual.Dir dir) {
        if (dir != Qual.Dir.DEFAULT) {
            throw fail("direction applied to 'proto'");
        }
        switch (proto) {
            case DEFAULT:
                return Cond.or(proto(v, Proto.IP, dir), proto(v, Proto.IPV6, dir));
            case LINK:
                return linktype(v);
            case IP:
                return Cond.and(linktype(ETH_IP), cmp(B, nl() + 9, v));
            case IPV6: {
                Cond direct = cmp(B, nl() + 6, v);
                Cond viaFrag = Cond.and(cmp(B, nl() + 6, P_FRAG), cmp(B, nl() + 40, v));
                return Cond.and(linktype(ETH_IPV6), Cond.or(direct, viaFrag));
            }
            case ARP: case RARP:
                throw fail(proto.keyword() + " does not encapsulate another protocol");
            default:
                if (isTransport(proto) || proto == Proto.ICMPV6 || proto == Proto.AH || proto == Proto.ESP) {
                    throw fail("'" + proto.keyword() + " proto' is bogus");
                }
                throw fail("'" + proto.keyword() + " proto' is not supported by this compiler");
        }
    }

    private static boolean isTransport(Proto p) {
        switch (p) {
            case SCTP: case TCP: case UDP: case ICMP: case IGMP: case IGRP: case PIM: case VRRP: case CARP:
                return true;
            default:
                return false;
        }
    }

    private Cond abbrev(Proto p) {
        switch (p) {
            case SCTP: return proto(P_SCTP, Proto.DEFAULT, Qual.Dir.DEFAULT);
            case TCP: return proto(P_TCP, Proto.DEFAULT, Qual.Dir.DEFAULT);
            case UDP: return proto(P_UDP, Proto.DEFAULT, Qual.Dir.DEFAULT);
            case ICMP: return proto(P_ICMP, Proto.IP, Qual.Dir.DEFAULT);
            case IGMP: return proto(P_IGMP, Proto.IP, Qual.Dir.DEFAULT);
            case IGRP: return proto(P_IGRP, Proto.IP, Qual.Dir.DEFAULT);
            case PIM: return proto(P_PIM, Proto.DEFAULT, Qual.Dir.DEFAULT);
            case VRRP: case CARP: return proto(P_VRRP, Proto.IP, Qual.Dir.DEFAULT);
            case IP: return linktype(ETH_IP);
            case ARP: return linktype(ETH_ARP);
            case RARP: return linktype(ETH_RARP);
            case IPV6: return linktype(ETH_IPV6);
            case AH: return proto(P_AH, Proto.DEFAULT, Qual.Dir.DEFAULT);
            case ESP: return proto(P_ESP, Proto.DEFAULT, Qual.Dir.DEFAULT);
            case ICMPV6: return proto(P_ICMPV6, Proto.IPV6, Qual.Dir.DEFAULT);
            case LINK: throw fail("link layer applied in wrong context");
            default: throw fail("'" + p.keyword() + "' is not supported by this compiler (link type Ethernet)");
        }
    }

    // ---- other primitives ----

    private Cond other(Other o) {
        switch (o.kind()) {
            case "broadcast":
                if (o.proto() == Proto.DEFAULT || o.proto() == Proto.LINK) {
                    return bcmp6(0, new byte[] {-1, -1, -1, -1, -1, -1});
                }
                if (o.proto() == Proto.IP) {
                    // tcpdump reading a file compiles with netmask 0: every host bit is "host part"
                    Cond zero = cmp(W, nl() + 16, 0);
                    Cond ones = cmp(W, nl() + 16, 0xffffffffL);
                    return Cond.and(linktype(ETH_IP), Cond.or(zero, ones));
                }
                throw fail("only link-layer/IP broadcast filters supported");
            case "multicast":
                if (o.proto() == Proto.DEFAULT || o.proto() == Proto.LINK) {
                    return jump(B, 0, JSET, 1);
                }
                if (o.proto() == Proto.IP) {
                    return Cond.and(linktype(ETH_IP), jump(B, nl() + 16, JGE, 224));
                }
                if (o.proto() == Proto.IPV6) {
                    return Cond.and(linktype(ETH_IPV6), cmp(B, nl() + 24, 255));
                }
                throw fail("only IP multicast filters supported on ethernet");
            case "less":
                return Cond.not(new Test(List.of(new Stmt(LD | W | LEN, 0)), JMP | JGT | Bpf.K, (int) (long) o.a()));
            case "greater":
                return new Test(List.of(new Stmt(LD | W | LEN, 0)), JMP | JGE | Bpf.K, (int) (long) o.a());
            case "byte": {
                int idx = (int) (long) o.a();
                long val = o.b();
                switch (o.op()) {
                    case "=": return cmp(B, nl() + idx, val);
                    case "<": return Cond.not(jump(B, nl() + idx, JGE, val));
                    case ">": return jump(B, nl() + idx, JGT, val);
                    case "|":
                        return Cond.not(new Test(List.of(ld(B, nl() + idx), new Stmt(ALU | OR | Bpf.K, (int) val)),
                                JMP | JEQ | Bpf.K, 0));
                    default:
                        return Cond.not(new Test(List.of(ld(B, nl() + idx), new Stmt(ALU | AND | Bpf.K, (int) val)),
                                JMP | JEQ | Bpf.K, 0));
                }
            }
            case "vlan": {
                Cond tpid = Cond.or(Cond.or(cmp(H, offLinkType, 0x8100), cmp(H, offLinkType, 0x88a8)),
                        cmp(H, offLinkType, 0x9100));
                Cond b = tpid;
                if (o.a() != null) {
                    if (o.a() > 4095) {
                        throw fail("VLAN tag " + o.a() + " greater than maximum 4095");
                    }
                    b = Cond.and(tpid, mcmp(H, offLinkPl, o.a(), 0x0fff));
                }
                offLinkType += 4;
                offLinkPl += 4;
                return b;
            }
            default:
                throw fail("unsupported primitive " + o.kind());
        }
    }

    // ---- comparisons and arithmetic ----

    /** Code that leaves a value in A, with the tests that must hold before it runs. */
    private static final class Val {
        final List<Stmt> code = new ArrayList<>();
        Cond checks;
    }

    private Cond relation(Relation r) {
        scratch = 0;
        Arith l = fold(r.l());
        Arith rr = fold(r.r());
        Val v = new Val();
        int jop = r.jop().equals("jgt") ? JGT : r.jop().equals("jge") ? JGE : JEQ;
        Test t;
        if (jop == JEQ && rr instanceof ANum zero && zero.v() == 0 && l instanceof ABin b && b.op().equals("&")
                && b.r() instanceof ANum m) {
            // (e & m) = 0 is "no bit of m set in e": one jset, as libpcap's optimizer makes it
            arith(b.l(), v);
            Test set = new Test(List.copyOf(v.code), JMP | JSET | Bpf.K, (int) m.v());
            return Cond.and(v.checks, r.reversed() ? set : Cond.not(set));
        }
        if (rr instanceof ANum n) {
            arith(l, v);
            t = new Test(List.copyOf(v.code), JMP | jop | Bpf.K, (int) n.v());
        } else {
            binaryOperands(l, rr, v, false);
            t = new Test(List.copyOf(v.code), JMP | jop | Bpf.X, 0);
        }
        Cond c = r.reversed() ? Cond.not(t) : t;
        return Cond.and(v.checks, c);
    }

    /**
     * Emits code with l in A and r in X. With {@code dropRightChecks} the protocol checks of
     * {@code r}'s accessors are not kept: libpcap (1.10) keeps only the left operand's checks for
     * an arithmetic operator (its gen_arth), so {@code len - tcp[0] = 1} reads "tcp[0]" from any
     * packet, and we mean the same. Comparisons keep both sides' checks.
     */
    private void binaryOperands(Arith l, Arith r, Val v, boolean dropRightChecks) {
        Cond before = v.checks;
        if (simple(l)) {
            arith(r, v);
            if (dropRightChecks) {
                v.checks = before;
            }
            v.code.add(new Stmt(MISC | TAX, 0));
            arith(l, v);
        } else {
            if (scratch >= 16) {
                throw fail("expression too complex: more than 16 scratch memory cells");
            }
            int slot = scratch++;
            arith(r, v);
            if (dropRightChecks) {
                v.checks = before;
            }
            v.code.add(new Stmt(ST, slot));
            arith(l, v);
            v.code.add(new Stmt(LDX | W | MEM, slot));
        }
    }

    /** True if computing {@code a} leaves X alone. */
    private boolean simple(Arith a) {
        if (a instanceof ANum || a instanceof ALen) {
            return true;
        }
        if (a instanceof ALoad ld) {
            return ld.index() instanceof ANum && !isTransport(ld.proto());
        }
        return false;
    }

    private static final String[] OPS = {"+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>"};
    private static final int[] ALUS = {ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, LSH, RSH};

    private static int alu(String op) {
        for (int i = 0; i < OPS.length; i++) {
            if (OPS[i].equals(op)) {
                return ALUS[i];
            }
        }
        throw new IllegalArgumentException(op);
    }

    /** Folds constant subexpressions and rejects constant division by zero and shifts over 31, as libpcap does. */
    private Arith fold(Arith a) {
        if (a instanceof ABin b) {
            Arith l = fold(b.l());
            Arith r = fold(b.r());
            if (r instanceof ANum rn) {
                at = b.at();
                if ((b.op().equals("/")) && rn.v() == 0) {
                    throw fail("division by zero");
                }
                if (b.op().equals("%") && rn.v() == 0) {
                    throw fail("modulus by zero");
                }
                if ((b.op().equals("<<") || b.op().equals(">>")) && rn.v() > 31) {
                    throw fail("shift by more than 31 bits");
                }
                if (l instanceof ANum ln) {
                    long x = ln.v(), y = rn.v(), z;
                    switch (b.op()) {
                        case "+": z = x + y; break;
                        case "-": z = x - y; break;
                        case "*": z = x * y; break;
                        case "/": z = x / y; break;
                        case "%": z = x % y; break;
                        case "&": z = x & y; break;
                        case "|": z = x | y; break;
                        case "^": z = x ^ y; break;
                        case "<<": z = x << y; break;
                        default: z = x >>> y; break;
                    }
                    return new ANum(z & 0xffffffffL);
                }
            }
            return new ABin(b.op(), l, r, b.at());
        }
        if (a instanceof ANeg n) {
            Arith e = fold(n.e());
            if (e instanceof ANum en) {
                return new ANum(-en.v() & 0xffffffffL);
            }
            return new ANeg(e);
        }
        if (a instanceof ALoad ld) {
            return new ALoad(ld.proto(), fold(ld.index()), ld.size(), ld.at());
        }
        return a;
    }

    private void arith(Arith a, Val v) {
        if (a instanceof ANum n) {
            v.code.add(new Stmt(LD | W | IMM, (int) n.v()));
        } else if (a instanceof ALen) {
            v.code.add(new Stmt(LD | W | LEN, 0));
        } else if (a instanceof ANeg n) {
            arith(n.e(), v);
            v.code.add(new Stmt(ALU | NEG, 0));
        } else if (a instanceof ABin b) {
            int op = alu(b.op());
            if (b.r() instanceof ANum rn) {
                arith(b.l(), v);
                v.code.add(new Stmt(ALU | op | Bpf.K, (int) rn.v()));
            } else {
                binaryOperands(b.l(), b.r(), v, true);
                v.code.add(new Stmt(ALU | op | Bpf.X, 0));
            }
        } else {
            load((ALoad) a, v);
        }
    }

    private static int sizeBits(int size) {
        return size == 1 ? B : size == 2 ? H : W;
    }

    private void load(ALoad ld, Val v) {
        at = ld.at();
        int size = sizeBits(ld.size());
        Proto p = ld.proto();
        Cond check;
        int base;
        boolean transport = false;
        switch (p) {
            case LINK:
                check = null;
                base = 0;
                break;
            case IP:
                check = linktype(ETH_IP);
                base = nl();
                break;
            case ARP:
                check = linktype(ETH_ARP);
                base = nl();
                break;
            case RARP:
                check = linktype(ETH_RARP);
                base = nl();
                break;
            case IPV6:
                check = linktype(ETH_IPV6);
                base = nl();
                break;
            case ICMPV6:
                check = Cond.and(linktype(ETH_IPV6), cmp(B, nl() + 6, P_ICMPV6));
                base = nl() + 40;
                break;
            default:
                if (!isTransport(p)) {
                    throw fail("'" + p.keyword() + "[...]' is not supported");
                }
                int ipProto = protoNumber(p);
                check = Cond.and(Cond.and(linktype(ETH_IP), cmp(B, nl() + 9, ipProto)), ipfrag());
                base = nl();
                transport = true;
                break;
        }
        Arith idx = ld.index();
        Val inner = new Val();
        if (transport) {
            if (idx instanceof ANum n) {
                inner.code.add(new Stmt(LDX | B | MSH, nl()));
                inner.code.add(new Stmt(LD | size | IND, (int) (base + n.v())));
            } else {
                arith(idx, inner);
                inner.code.add(new Stmt(LDX | B | MSH, nl()));
                inner.code.add(new Stmt(ALU | ADD | Bpf.X, 0));
                inner.code.add(new Stmt(MISC | TAX, 0));
                inner.code.add(new Stmt(LD | size | IND, base));
            }
        } else if (idx instanceof ANum n) {
            inner.code.add(new Stmt(LD | size | ABS, (int) (base + n.v())));
        } else {
            arith(idx, inner);
            inner.code.add(new Stmt(MISC | TAX, 0));
            inner.code.add(new Stmt(LD | size | IND, base));
        }
        v.checks = Cond.and(v.checks, Cond.and(inner.checks, check));
        v.code.addAll(inner.code);
    }

    private static int protoNumber(Proto p) {
        switch (p) {
            case SCTP: return P_SCTP;
            case TCP: return P_TCP;
            case UDP: return P_UDP;
            case ICMP: return P_ICMP;
            case IGMP: return P_IGMP;
            case IGRP: return P_IGRP;
            case PIM: return P_PIM;
            default: return P_VRRP;
        }
    }
}
