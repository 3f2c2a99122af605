package io.jbpf.core.link.internal;

import io.jbpf.core.Errno;
import io.jbpf.core.NetlinkException;
import io.jbpf.core.internal.netlink.Netlink;
import io.jbpf.core.internal.netlink.NetlinkAttributes;
import io.jbpf.core.internal.netlink.NetlinkMessage;
import io.jbpf.core.internal.netlink.NetlinkSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** The clsact qdisc and cls_bpf filters over rtnetlink. */
public final class TcNetlink {
    /** {@code TC_H_CLSACT} (== {@code TC_H_INGRESS}): the parent of the clsact qdisc. */
    public static final int TC_H_CLSACT = 0xFFFFFFF1;
    /** The handle of the clsact qdisc, {@code ffff:}. */
    public static final int CLSACT_HANDLE = 0xFFFF0000;
    static final int TCA_KIND = 1;
    static final int TCA_OPTIONS = 2;
    static final int TCA_BPF_FD = 6;
    static final int TCA_BPF_NAME = 7;
    static final int TCA_BPF_FLAGS = 8;
    static final int TCA_BPF_ID = 11;
    static final int TCA_BPF_FLAG_ACT_DIRECT = 1;
    static final int ETH_P_ALL = 3;
    /** {@code struct tcmsg}: family u8, pad[3], ifindex s32, handle u32, parent u32, info u32. */
    static final int TCMSG_SIZE = 20;

    private TcNetlink() {}

    static byte[] tcmsg(int ifindex, int handle, int parent, int info) {
        return ByteBuffer.allocate(TCMSG_SIZE).order(ByteOrder.nativeOrder())
                .putInt(4, ifindex).putInt(8, handle).putInt(12, parent).putInt(16, info).array();
    }

    /** The parent of filters on clsact's ingress or egress ({@code TC_H_MAKE(TC_H_CLSACT, minor)}). */
    public static int filterParent(int clsactMinor) {
        return CLSACT_HANDLE | clsactMinor;
    }

    /** {@code tcm_info} of a filter: priority in the upper 16 bits, protocol ETH_P_ALL in network order. */
    static int filterInfo(int priority) {
        int protoBe = Short.toUnsignedInt(Short.reverseBytes((short) ETH_P_ALL));
        return (priority << 16) | protoBe;
    }

    /** Adds the clsact qdisc; false if a qdisc already sits there (EEXIST). */
    public static boolean addClsact(NetlinkSocket s, int ifindex) {
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_NEWQDISC, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL)
                .header(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0))
                .attrString(TCA_KIND, "clsact");
        try {
            s.execute(m, "add clsact qdisc to interface index " + ifindex);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the clsact qdisc (and every filter under it). */
    public static void deleteClsact(NetlinkSocket s, int ifindex) {
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_DELQDISC, 0)
                .header(tcmsg(ifindex, CLSACT_HANDLE, TC_H_CLSACT, 0))
                .attrString(TCA_KIND, "clsact");
        s.execute(m, "delete clsact qdisc of interface index " + ifindex);
    }

    /** Adds (or with {@code replace} replaces) a direct-action cls_bpf filter running {@code progFd}. */
    public static void addFilter(NetlinkSocket s, int ifindex, int parent, int priority, int handle, int progFd,
            String name, boolean replace, String what) {
        int flags = Netlink.NLM_F_CREATE | (replace ? Netlink.NLM_F_REPLACE : Netlink.NLM_F_EXCL);
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_NEWTFILTER, flags)
                .header(tcmsg(ifindex, handle, parent, filterInfo(priority)))
                .attrString(TCA_KIND, "bpf")
                .beginNested(TCA_OPTIONS)
                .attrU32(TCA_BPF_FD, progFd)
                .attrString(TCA_BPF_NAME, name)
                .attrU32(TCA_BPF_FLAGS, TCA_BPF_FLAG_ACT_DIRECT)
                .endNested();
        s.execute(m, what);
    }

    /** Deletes the filter at {@code priority}/{@code handle}. */
    public static void deleteFilter(NetlinkSocket s, int ifindex, int parent, int priority, int handle, String what) {
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_DELTFILTER, 0)
                .header(tcmsg(ifindex, handle, parent, filterInfo(priority)))
                .attrString(TCA_KIND, "bpf");
        s.execute(m, what);
    }

    /**
     * The program ids of the bpf filters under {@code parent}, or of every filter entry when
     * {@code anyKind} (used to tell whether any filter remains). An interface without clsact has none.
     */
    public static List<Integer> filterProgramIds(NetlinkSocket s, int ifindex, int parent, boolean anyKind) {
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_GETTFILTER, Netlink.NLM_F_DUMP)
                .header(tcmsg(ifindex, 0, parent, 0));
        List<Integer> ids = new ArrayList<>();
        List<NetlinkSocket.Reply> replies;
        try {
            replies = s.query(m, "list filters of interface index " + ifindex);
        } catch (NetlinkException e) {
            if (e.errno() == Errno.EINVAL || e.errno() == Errno.ENOENT) {
                return ids; // no clsact qdisc: no filters
            }
            throw e;
        }
        for (NetlinkSocket.Reply r : replies) {
            if (r.type() != Netlink.RTM_NEWTFILTER) {
                continue;
            }
            NetlinkAttributes attrs = NetlinkAttributes.parse(r.body(), TCMSG_SIZE, r.body().capacity());
            int id = attrs.nested(TCA_OPTIONS).flatMap(o -> o.u32(TCA_BPF_ID)).orElse(0);
            if (id != 0 || anyKind) {
                ids.add(id);
            }
        }
        return ids;
    }
}
