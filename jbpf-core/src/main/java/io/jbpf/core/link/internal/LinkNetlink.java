package io.jbpf.core.link.internal;

import io.jbpf.core.internal.netlink.Netlink;
import io.jbpf.core.internal.netlink.NetlinkAttributes;
import io.jbpf.core.internal.netlink.NetlinkMessage;
import io.jbpf.core.internal.netlink.NetlinkSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/** What {@code RTM_GETLINK} tells of an interface beyond XDP ({@link XdpNetlink}): its link-layer address. */
public final class LinkNetlink {
    /** {@code IFLA_ADDRESS}: the interface's hardware address. */
    private static final int IFLA_ADDRESS = 1;

    private LinkNetlink() {}

    /** The hardware address of {@code ifindex} in the socket's namespace, empty when it has none. */
    public static Optional<byte[]> hardwareAddress(NetlinkSocket socket, int ifindex) {
        NetlinkMessage m = NetlinkMessage.request(Netlink.RTM_GETLINK, 0).header(XdpNetlink.ifinfomsg(ifindex));
        List<NetlinkSocket.Reply> replies = socket.query(m, "read the address of interface index " + ifindex);
        for (NetlinkSocket.Reply r : replies) {
            if (r.type() != Netlink.RTM_NEWLINK) {
                continue;
            }
            NetlinkAttributes attrs = NetlinkAttributes.parse(r.body(), XdpNetlink.IFINFOMSG_SIZE, r.body().capacity());
            Optional<ByteBuffer> address = attrs.get(IFLA_ADDRESS);
            if (address.isEmpty()) {
                return Optional.empty();
            }
            ByteBuffer a = address.get().duplicate();
            byte[] out = new byte[a.remaining()];
            a.get(out);
            for (byte b : out) {
                if (b != 0) {
                    return Optional.of(out);
                }
            }
            return Optional.empty(); // all zeros: loopback
        }
        return Optional.empty();
    }
}
