package io.jbpf.core.link.internal;

import io.jbpf.core.internal.netlink.Netlink;
import io.jbpf.core.internal.netlink.NetlinkAttributes;
import io.jbpf.core.internal.netlink.NetlinkMessage;
import io.jbpf.core.internal.netlink.NetlinkSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.OptionalInt;

/** XDP over rtnetlink: {@code RTM_SETLINK} with a nested {@code IFLA_XDP}, and reading it back. */
public final class XdpNetlink {
    static final int IFLA_XDP = 43;
    static final int IFLA_XDP_FD = 1;
    static final int IFLA_XDP_ATTACHED = 2;
    static final int IFLA_XDP_FLAGS = 3;
    static final int IFLA_XDP_PROG_ID = 4;
    static final int IFLA_XDP_EXPECTED_FD = 8;
    /** {@code struct ifinfomsg}: family u8, pad u8, type u16, index s32, flags u32, change u32. */
    static final int IFINFOMSG_SIZE = 16;

    public static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1;
    public static final int XDP_FLAGS_REPLACE = 1 << 4;

    private XdpNetlink() {}

    static byte[] ifinfomsg(int ifindex) {
        return ByteBuffer.allocate(IFINFOMSG_SIZE).order(ByteOrder.nativeOrder()).putInt(4, ifindex).array();
    }

    /**
     * Sets the XDP program of {@code ifindex} to {@code progFd} (-1 removes it) with {@code flags};
     * with {@code expectedFd >= 0}, only if that program is the one attached now.
     */
    public static void set(NetlinkSocket socket, int ifindex, int progFd, int flags, int expectedFd, String what) {
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_SETLINK, 0)
                .header(ifinfomsg(ifindex))
                .beginNested(IFLA_XDP | Netlink.NLA_F_NESTED)
                .attrU32(IFLA_XDP_FD, progFd)
                .attrU32(IFLA_XDP_FLAGS, flags);
        if (expectedFd >= 0) {
            m.attrU32(IFLA_XDP_EXPECTED_FD, expectedFd);
        }
        socket.execute(m.endNested(), what);
    }

    /** The id of the XDP program on {@code ifindex} (whatever the mode), or empty. */
    public static OptionalInt programId(NetlinkSocket socket, int ifindex) {
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_GETLINK, 0).header(ifinfomsg(ifindex));
        List<NetlinkSocket.Reply> replies = socket.query(m, "read the XDP state of interface index " + ifindex);
        for (NetlinkSocket.Reply r : replies) {
            if (r.type() != Netlink.RTM_NEWLINK) {
                continue;
            }
            NetlinkAttributes attrs = NetlinkAttributes.parse(r.body(), IFINFOMSG_SIZE, r.body().capacity());
            NetlinkAttributes xdp = attrs.nested(IFLA_XDP).orElse(null);
            if (xdp == null || xdp.u8(IFLA_XDP_ATTACHED).orElse(0) == 0) {
                return OptionalInt.empty();
            }
            return xdp.u32(IFLA_XDP_PROG_ID).map(OptionalInt::of).orElse(OptionalInt.empty());
        }
        return OptionalInt.empty();
    }
}
