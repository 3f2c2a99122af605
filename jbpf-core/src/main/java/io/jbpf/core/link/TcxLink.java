package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.internal.Interfaces;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.prog.Program;

/**
 * A TC program (type SCHED_CLS) attached to an interface's ingress or egress through TCX
 * ({@code BPF_LINK_CREATE} with {@code BPF_TCX_INGRESS/EGRESS}; Linux 6.6). TCX needs no qdisc;
 * several programs run in order, placed with an {@link Anchor}. Return codes are the
 * {@code TC_ACT_*} ones ({@code TC_ACT_OK} 0, {@code TC_ACT_SHOT} 2), plus {@code TCX_NEXT} (-1)
 * to go on to the next program. For older kernels use {@link TcFilterAttachment}.
 *
 * <p>Interface indexes and names are those of the calling thread's network namespace.
 */
public final class TcxLink extends BpfLink {
    private final int ifindex;
    private final TcDirection direction;

    private TcxLink(Fd fd, int ifindex, TcDirection direction) {
        super(fd);
        this.ifindex = ifindex;
        this.direction = direction;
    }

    /** Attaches {@code program} to {@code ifname}'s {@code direction}, after the programs already there. */
    public static TcxLink attach(Program program, String ifname, TcDirection direction) {
        return attach(program, Interfaces.index(ifname), direction, Anchor.none(), 0);
    }

    /** Attaches {@code program} to {@code ifindex}'s {@code direction}, after the programs already there. */
    public static TcxLink attach(Program program, int ifindex, TcDirection direction) {
        return attach(program, ifindex, direction, Anchor.none(), 0);
    }

    /**
     * Attaches {@code program} at {@code anchor}. With {@code expectedRevision} non-zero, the kernel
     * refuses ({@code ESTALE}) if the hook's programs changed since that revision
     * (see {@link AttachedPrograms#revision()}).
     */
    public static TcxLink attach(Program program, int ifindex, TcDirection direction, Anchor anchor,
            long expectedRevision) {
        Interfaces.checkIndex(ifindex);
        String what = "attach TCX program '" + program.name() + "' to interface index " + ifindex + " "
                + direction.name().toLowerCase(java.util.Locale.ROOT) + " (" + anchor + ")";
        int relative = anchor.relative();
        try {
            Fd fd = LinkFds.create(program.fd(), ifindex, direction.tcxAttachType(), anchor.flags(), b -> {
                b.putInt(BpfAttr.LinkCreate.TCX_RELATIVE_FD, relative);
                b.putLong(BpfAttr.LinkCreate.TCX_EXPECTED_REVISION, expectedRevision);
            }, "TCX links", false, what);
            return new TcxLink(fd, ifindex, direction);
        } catch (BpfException e) {
            throw new AttachException(e, hint(e, ifindex));
        }
    }

    private static String hint(BpfException e, int ifindex) {
        switch (e.errno()) {
            case ENODEV:
                return "no interface with index " + ifindex + " in this network namespace";
            case ENOENT:
                return "the anchor's program or link is not attached to this hook";
            case ESTALE:
                return "the hook's programs changed since the expected revision";
            case EEXIST:
                return "this program is already attached to this hook";
            case EINVAL:
                return "check that the program is of type SCHED_CLS and the anchor is valid";
            default:
                return "";
        }
    }

    /** The interface index. */
    public int ifindex() {
        return ifindex;
    }

    /** Ingress or egress. */
    public TcDirection direction() {
        return direction;
    }
}
