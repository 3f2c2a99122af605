package io.jbpf.core.vm.internal;

import io.jbpf.core.vm.FibTable;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@code bpf_fib_lookup} (helper 69) over a {@link FibTable}, as net/core/filter.c does it
 * ({@code bpf_xdp_fib_lookup}, {@code bpf_skb_fib_lookup}, {@code bpf_ipv4_fib_lookup},
 * {@code bpf_ipv6_fib_lookup}) on kernels since 6.10 (flags up to {@code BPF_FIB_LOOKUP_MARK}).
 *
 * <p>{@code struct bpf_fib_lookup} (64 bytes, checked against the kernel's BTF): family 0,
 * l4_protocol 1, sport 2, dport 4, tot_len/mtu_result 6, ifindex 8, tos/flowinfo/rt_metric 12,
 * ipv4_src/ipv6_src 16, ipv4_dst/ipv6_dst 32, h_vlan_proto 48 / h_vlan_TCI 50 (or tbid 48),
 * smac 52 (or mark 52), dmac 58.
 */
final class FibLookup {
    static final int SIZE = 64;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;

    static final int DIRECT = 1;
    static final int OUTPUT = 2;
    static final int SKIP_NEIGH = 4;
    static final int TBID = 8;
    static final int SRC = 16;
    static final int MARK = 32;
    static final int FLAGS = DIRECT | OUTPUT | SKIP_NEIGH | TBID | SRC | MARK;

    static final int RET_SUCCESS = 0;
    static final int RET_BLACKHOLE = 1;
    static final int RET_UNREACHABLE = 2;
    static final int RET_PROHIBIT = 3;
    static final int RET_NOT_FWDED = 4;
    static final int RET_FWD_DISABLED = 5;
    static final int RET_UNSUPP_LWT = 6;
    static final int RET_NO_NEIGH = 7;
    static final int RET_FRAG_NEEDED = 8;
    static final int RET_NO_SRC_ADDR = 9;

    private static final long EINVAL = -22;
    private static final long ENODEV = -19;
    private static final long EAFNOSUPPORT = -97;

    private FibLookup() {}

    /**
     * Runs a lookup on the struct at {@code params} of {@code plen} bytes and writes the results
     * back. {@code skbLength} is the socket buffer's length for TC programs, or -1 for XDP.
     */
    static long lookup(Machine m, FibTable fib, long params, long plen, long flags, int skbLength) {
        if (plen < SIZE) {
            return EINVAL;
        }
        if ((flags & ~(long) FLAGS) != 0) {
            return EINVAL;
        }
        byte[] raw = m.read(params, SIZE);
        ByteBuffer p = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int family = raw[0] & 0xff;
        boolean xdp = skbLength < 0;
        // XDP always checks the MTU; TC when the program gives tot_len, else the packet's length afterwards
        boolean checkMtu = xdp || (p.getShort(6) & 0xffff) != 0;
        long rc;
        switch (family) {
            case AF_INET:
                rc = lookup(fib, p, (int) flags, checkMtu, false);
                break;
            case AF_INET6:
                rc = lookup(fib, p, (int) flags, checkMtu, true);
                break;
            default:
                return EAFNOSUPPORT;
        }
        if (rc == RET_SUCCESS && !checkMtu) {
            FibTable.Device out = fib.device(p.getInt(8));
            // is_skb_forwardable: the frame fits the MTU plus the link header and a VLAN tag
            if (skbLength > out.mtu() + 14 + 4) {
                rc = RET_FRAG_NEEDED;
            }
            p.putShort(6, (short) out.mtu());
        }
        if (rc >= 0) {
            m.write(params, raw);
        }
        return rc;
    }

    private static long lookup(FibTable fib, ByteBuffer p, int flags, boolean checkMtu, boolean v6) {
        byte[] raw = p.array();
        int len = v6 ? 16 : 4;
        byte[] src = java.util.Arrays.copyOfRange(raw, 16, 16 + len);
        byte[] dst = java.util.Arrays.copyOfRange(raw, 32, 32 + len);
        if (v6 && (strict(dst) || strict(src))) {
            return RET_NOT_FWDED; // link-local, multicast and loopback addresses are never forwarded
        }
        FibTable.Device in = fib.device(p.getInt(8));
        if (in == null) {
            return ENODEV;
        }
        if (!in.forwarding()) {
            return RET_FWD_DISABLED;
        }
        FibTable.Route route = null;
        if ((flags & DIRECT) != 0) {
            // one table: the one given with TBID, else main (no rules, so not the local table)
            int table = (flags & TBID) != 0 ? p.getInt(48) : FibTable.TABLE_MAIN;
            if ((flags & TBID) != 0) {
                p.putInt(48, 0); // the kernel zeroes tbid at once: it shares its bytes with the VLAN output
            }
            if (!fib.hasTable(table)) {
                return RET_NOT_FWDED;
            }
            route = fib.lookup(table, dst);
        } else {
            // the default rules: local, main, default (TBID without DIRECT is ignored, as in the kernel)
            for (int table : new int[] {FibTable.TABLE_LOCAL, FibTable.TABLE_MAIN, FibTable.TABLE_DEFAULT}) {
                route = fib.lookup(table, dst);
                if (route != null && route.type() != FibTable.RouteType.THROW) {
                    break;
                }
                route = null;
            }
        }
        if (route == null) {
            return RET_NOT_FWDED; // -ENETUNREACH
        }
        switch (route.type()) {
            case BLACKHOLE:
                return RET_BLACKHOLE;
            case UNREACHABLE:
                return RET_UNREACHABLE;
            case PROHIBIT:
                return RET_PROHIBIT;
            case UNICAST:
                break;
            default:
                return RET_NOT_FWDED;
        }
        FibTable.Device out = fib.device(route.ifindex());
        if (out == null) {
            return RET_NOT_FWDED;
        }
        int mtu = 0;
        if (checkMtu) {
            mtu = route.mtu() != 0 ? route.mtu() : out.mtu();
            if ((p.getShort(6) & 0xffff) > mtu) {
                p.putShort(6, (short) mtu);
                return RET_FRAG_NEEDED;
            }
        }
        if (route.encapsulated()) {
            return RET_UNSUPP_LWT;
        }
        p.putInt(12, route.metric());
        p.putInt(8, out.ifindex());
        if ((flags & SRC) != 0) {
            byte[] source = source(route, out, v6);
            if (source == null) {
                if (v6) {
                    return RET_NO_SRC_ADDR;
                }
                source = new byte[4]; // IPv4 gives 0.0.0.0 when the device has no address
            }
            p.put(16, source);
        }
        InetAddress gw = route.gateway();
        byte[] next = dst;
        if (gw != null) {
            next = gw.getAddress();
            if (!v6 && gw instanceof Inet6Address) {
                raw[0] = AF_INET6; // an IPv4 route via an IPv6 next hop
                p.put(32, next);
            } else {
                p.put(32, next);
            }
        }
        if ((flags & SKIP_NEIGH) == 0) {
            byte[] mac = fib.neighbor(out.ifindex(), next);
            if (mac == null) {
                return RET_NO_NEIGH;
            }
            p.put(58, mac);
            p.put(52, out.mac());
        }
        p.putShort(48, (short) 0);
        p.putShort(50, (short) 0);
        if (mtu != 0) {
            p.putShort(6, (short) mtu);
        }
        return RET_SUCCESS;
    }

    private static byte[] source(FibTable.Route route, FibTable.Device out, boolean v6) {
        if (route.preferredSource() != null) {
            return route.preferredSource().getAddress();
        }
        for (InetAddress a : out.addresses()) {
            if ((a.getAddress().length == 16) == v6) {
                return a.getAddress();
            }
        }
        return null;
    }

    /** rt6_need_strict: multicast, link-local unicast or loopback. */
    private static boolean strict(byte[] a) {
        if ((a[0] & 0xff) == 0xff) {
            return true;
        }
        if ((a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80) {
            return true;
        }
        for (int i = 0; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 1;
    }
}
