package io.jbpf.core.link;

import io.jbpf.core.Errno;
import io.jbpf.core.NetlinkException;
import io.jbpf.core.internal.netlink.Netlink;
import io.jbpf.core.internal.netlink.NetlinkSocket;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.internal.Interfaces;
import io.jbpf.core.link.internal.HeldProgram;
import io.jbpf.core.link.internal.TcNetlink;
import io.jbpf.core.prog.Program;
import java.util.List;
import java.util.Locale;

/**
 * A TC program (type SCHED_CLS) attached the legacy way: a {@code cls_bpf} filter in
 * direct-action mode under the {@code clsact} qdisc, over rtnetlink (Linux 4.5), for kernels
 * without {@link TcxLink TCX}. The filter is identified by priority and handle.
 *
 * <p><b>The qdisc.</b> Attaching adds the clsact qdisc when the interface has none and remembers
 * that it did. {@link #close()} deletes the filter, then deletes the qdisc only if this attachment
 * created it and no filter at all remains on either direction; a qdisc that was there before is
 * never touched. (If the attachment that created the qdisc closes while others still have filters
 * there, the qdisc stays after they close too: jbpf does not track qdiscs across attachments.)
 *
 * <p>The attachment keeps a netlink socket opened in the calling thread's network namespace and
 * its own fd of the program, so it can be closed from any thread.
 */
public final class TcFilterAttachment implements Link {
    /** The priority used when none is given. */
    public static final int DEFAULT_PRIORITY = 1;
    /** The handle used when none is given. */
    public static final int DEFAULT_HANDLE = 1;

    private final NetlinkSocket socket;
    private final int ifindex;
    private final TcDirection direction;
    private final int priority;
    private final int handle;
    private final boolean createdQdisc;
    private final HeldProgram program;

    private TcFilterAttachment(NetlinkSocket socket, int ifindex, TcDirection direction, int priority, int handle,
            boolean createdQdisc, HeldProgram program) {
        this.socket = socket;
        this.ifindex = ifindex;
        this.direction = direction;
        this.priority = priority;
        this.handle = handle;
        this.createdQdisc = createdQdisc;
        this.program = program;
    }

    /** Attaches {@code program} to {@code ifname}'s {@code direction} at the default priority and handle. */
    public static TcFilterAttachment attach(Program program, String ifname, TcDirection direction) {
        return attach(program, Interfaces.index(ifname), direction, DEFAULT_PRIORITY, DEFAULT_HANDLE);
    }

    /** Attaches {@code program} to {@code ifindex}'s {@code direction} at the default priority and handle. */
    public static TcFilterAttachment attach(Program program, int ifindex, TcDirection direction) {
        return attach(program, ifindex, direction, DEFAULT_PRIORITY, DEFAULT_HANDLE);
    }

    /** Attaches {@code program} as filter {@code priority}/{@code handle} on {@code ifname}'s {@code direction}. */
    public static TcFilterAttachment attach(Program program, String ifname, TcDirection direction, int priority,
            int handle) {
        return attach(program, Interfaces.index(ifname), direction, priority, handle);
    }

    /**
     * Attaches {@code program} as filter {@code priority} (1..65535, lower runs first) /
     * {@code handle} (non-zero) on {@code ifindex}'s {@code direction} in this thread's netns.
     */
    public static TcFilterAttachment attach(Program program, int ifindex, TcDirection direction, int priority,
            int handle) {
        Interfaces.checkIndex(ifindex);
        if (priority < 1 || priority > 0xFFFF) {
            throw new IllegalArgumentException("TC filter priority must be 1..65535, not " + priority);
        }
        if (handle == 0) {
            throw new IllegalArgumentException("TC filter handle must not be 0");
        }
        String target = "interface index " + ifindex + " " + direction.name().toLowerCase(Locale.ROOT);
        HeldProgram prog = HeldProgram.of(program);
        NetlinkSocket socket = null;
        boolean created = false;
        try {
            socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
            created = TcNetlink.addClsact(socket, ifindex);
            TcNetlink.addFilter(socket, ifindex, TcNetlink.filterParent(direction.clsactMinor()), priority, handle,
                    prog.fd(), program.name(), false, "attach TC program '" + program.name() + "' to " + target
                            + " as cls_bpf filter priority " + priority + " handle " + handle);
            return new TcFilterAttachment(socket, ifindex, direction, priority, handle, created, prog);
        } catch (RuntimeException e) {
            if (created) {
                try {
                    TcNetlink.deleteClsact(socket, ifindex);
                } catch (RuntimeException ignored) {
                    // the attach error is the one to report
                }
            }
            Fd.closeQuietly(socket);
            prog.release();
            throw e;
        }
    }

    /** The ids of the programs in cls_bpf filters on {@code ifindex}'s {@code direction} in this thread's netns. */
    public static List<Integer> attachedProgramIds(int ifindex, TcDirection direction) {
        try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            return TcNetlink.filterProgramIds(socket, Interfaces.checkIndex(ifindex),
                    TcNetlink.filterParent(direction.clsactMinor()), false);
        }
    }

    /** Replaces the filter's program ({@code tc filter replace}). */
    @Override
    public synchronized void update(Program next) {
        program.replace(next, fd -> TcNetlink.addFilter(socket, ifindex, TcNetlink.filterParent(direction.clsactMinor()),
                priority, handle, fd, next.name(), true, "replace TC program '" + program.name()
                        + "' on interface index " + ifindex + " by '" + next.name() + "'"));
    }

    /** Deletes the filter, and the clsact qdisc if this attachment added it and no filter remains. */
    @Override
    public synchronized void close() {
        if (program.isReleased()) {
            return;
        }
        try {
            try {
                TcNetlink.deleteFilter(socket, ifindex, TcNetlink.filterParent(direction.clsactMinor()), priority,
                        handle, "detach TC program '" + program.name() + "' (filter priority " + priority + " handle "
                                + handle + ") from interface index " + ifindex);
            } catch (NetlinkException e) {
                if (e.errno() == Errno.ENODEV) {
                    return; // the interface is gone, and its qdisc and filters with it
                }
                throw e;
            }
            if (createdQdisc && noFiltersLeft()) {
                TcNetlink.deleteClsact(socket, ifindex);
            }
        } finally {
            program.release();
            socket.close();
        }
    }

    private boolean noFiltersLeft() {
        for (TcDirection d : TcDirection.values()) {
            if (!TcNetlink.filterProgramIds(socket, ifindex, TcNetlink.filterParent(d.clsactMinor()), true).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Whether attaching added the clsact qdisc. */
    public boolean createdQdisc() {
        return createdQdisc;
    }

    @Override
    public boolean isClosed() {
        return program.isReleased();
    }

    /** The interface index (in the namespace the attachment was made in). */
    public int ifindex() {
        return ifindex;
    }

    /** Ingress or egress. */
    public TcDirection direction() {
        return direction;
    }

    /** The filter priority. */
    public int priority() {
        return priority;
    }

    /** The filter handle. */
    public int handle() {
        return handle;
    }

    @Override
    public String toString() {
        return "TcFilterAttachment[program '" + program.name() + "' on interface index " + ifindex + " "
                + direction.name().toLowerCase(Locale.ROOT) + ", priority " + priority + ", handle " + handle
                + (isClosed() ? ", closed" : "") + "]";
    }
}
