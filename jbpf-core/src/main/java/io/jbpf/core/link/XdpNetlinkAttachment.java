package io.jbpf.core.link;

import io.jbpf.core.NetlinkException;
import io.jbpf.core.internal.netlink.Netlink;
import io.jbpf.core.internal.netlink.NetlinkSocket;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.internal.Interfaces;
import io.jbpf.core.link.internal.HeldProgram;
import io.jbpf.core.link.internal.XdpNetlink;
import io.jbpf.core.prog.Program;
import java.util.OptionalInt;

/**
 * An XDP program attached the legacy way, over rtnetlink ({@code RTM_SETLINK} with
 * {@code IFLA_XDP}; Linux 4.8), for kernels without XDP links. Attaching refuses to replace a
 * program already there ({@code XDP_FLAGS_UPDATE_IF_NOEXIST}); {@link #update} and
 * {@link #close()} name the program they expect to find ({@code XDP_FLAGS_REPLACE}), so they never
 * remove somebody else's. Unlike an {@link XdpLink}, the attachment is not tied to a file: if this
 * object is never closed the program stays on the interface.
 *
 * <p>The attachment keeps a netlink socket opened in the calling thread's network namespace, and
 * its own fd of the program, so that it can be closed from any thread.
 */
public final class XdpNetlinkAttachment implements Link {
    private final NetlinkSocket socket;
    private final int ifindex;
    private final XdpMode mode;
    private final HeldProgram program;

    private XdpNetlinkAttachment(NetlinkSocket socket, int ifindex, XdpMode mode, HeldProgram program) {
        this.socket = socket;
        this.ifindex = ifindex;
        this.mode = mode;
        this.program = program;
    }

    /** Attaches {@code program} (type XDP) to interface {@code ifname} of this thread's netns in {@code mode}. */
    public static XdpNetlinkAttachment attach(Program program, String ifname, XdpMode mode) {
        return attach(program, Interfaces.index(ifname), mode);
    }

    /** Attaches {@code program} (type XDP) to interface {@code ifindex} of this thread's netns in {@code mode}. */
    public static XdpNetlinkAttachment attach(Program program, int ifindex, XdpMode mode) {
        Interfaces.checkIndex(ifindex);
        HeldProgram prog = HeldProgram.of(program);
        NetlinkSocket socket = null;
        try {
            socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
            XdpNetlink.set(socket, ifindex, prog.fd(), mode.flag() | XdpNetlink.XDP_FLAGS_UPDATE_IF_NOEXIST, -1,
                    "attach XDP program '" + program.name() + "' to interface index " + ifindex + " in " + mode
                            + " mode over netlink");
            return new XdpNetlinkAttachment(socket, ifindex, mode, prog);
        } catch (RuntimeException e) {
            Fd.closeQuietly(socket);
            prog.release();
            throw e;
        }
    }

    /** The id of the XDP program on interface {@code ifindex} of this thread's netns, in any mode. */
    public static OptionalInt attachedProgramId(int ifindex) {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            return XdpNetlink.programId(socket, Interfaces.checkIndex(ifindex));
        }
    }

    /** Replaces the program atomically, only if this attachment's program is still the one attached. */
    @Override
    public synchronized void update(Program next) {
        program.replace(next, fd -> XdpNetlink.set(socket, ifindex, fd, mode.flag() | XdpNetlink.XDP_FLAGS_REPLACE,
                program.fd(), "replace XDP program '" + program.name() + "' on interface index " + ifindex
                        + " by '" + next.name() + "'"));
    }

    /**
     * Removes the program if it is still this attachment's one, and closes the socket and program fd.
     * If the interface is gone there is nothing to remove.
     */
    @Override
    public synchronized void close() {
        if (program.isReleased()) {
            return;
        }
        try {
            XdpNetlink.set(socket, ifindex, -1, mode.flag() | XdpNetlink.XDP_FLAGS_REPLACE, program.fd(),
                    "detach XDP program '" + program.name() + "' from interface index " + ifindex);
        } catch (NetlinkException e) {
            if (e.errno() != io.jbpf.core.Errno.ENODEV) {
                throw e;
            }
        } finally {
            program.release();
            socket.close();
        }
    }

    @Override
    public boolean isClosed() {
        return program.isReleased();
    }

    /** The interface index (in the namespace the attachment was made in). */
    public int ifindex() {
        return ifindex;
    }

    /** The mode asked for. */
    public XdpMode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return "XdpNetlinkAttachment[program '" + program.name() + "' on interface index " + ifindex + ", " + mode
                + (isClosed() ? ", closed" : "") + "]";
    }
}
