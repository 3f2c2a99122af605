package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.internal.Interfaces;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;

/**
 * An XDP program attached to a network interface through a {@code bpf_link}
 * ({@code BPF_LINK_CREATE}, attach type {@code BPF_XDP}; Linux 5.9). The interface keeps the
 * program while the link lives; the link is removed when the interface is. For kernels without
 * XDP links use {@link XdpNetlinkAttachment}.
 *
 * <p>Interface indexes and names are those of the calling thread's network namespace; to attach
 * in another one, call from {@link io.jbpf.core.netns.NetNamespace#run}.
 */
public final class XdpLink extends BpfLink {
    private final int ifindex;
    private final XdpMode mode;

    private XdpLink(Fd fd, int ifindex, XdpMode mode) {
        super(fd);
        this.ifindex = ifindex;
        this.mode = mode;
    }

    /** Attaches {@code program} (type XDP) to interface {@code ifname} in {@code mode}. */
    public static XdpLink attach(Program program, String ifname, XdpMode mode) {
        return attach(program, Interfaces.index(ifname), mode, ifname);
    }

    /** Attaches {@code program} (type XDP) to interface index {@code ifindex} in {@code mode}. */
    public static XdpLink attach(Program program, int ifindex, XdpMode mode) {
        return attach(program, ifindex, mode, null);
    }

    private static XdpLink attach(Program program, int ifindex, XdpMode mode, String ifname) {
        Interfaces.checkIndex(ifindex);
        String target = "interface " + (ifname == null ? "" : "'" + ifname + "' ") + "(index " + ifindex + ")";
        String what = "attach XDP program '" + program.name() + "' to " + target + " in " + mode + " mode";
        try {
            Fd fd = LinkFds.create(program.fd(), ifindex, AttachType.XDP, mode.flag(), null, "XDP links", false, what);
            return new XdpLink(fd, ifindex, mode);
        } catch (BpfException e) {
            throw new AttachException(e, hint(e, target, mode));
        }
    }

    static String hint(BpfException e, String target, XdpMode mode) {
        switch (e.errno()) {
            case EBUSY:
            case EEXIST:
                return "an XDP program is already attached to " + target
                        + " (in this or another mode, or by netlink); detach it first";
            case EOPNOTSUPP:
                return "the driver of " + target + " does not support " + mode + " mode XDP";
            case ENODEV:
                return target + " does not exist in this network namespace";
            case EINVAL:
                return "check that the program is of type XDP and that the mode suits the interface";
            default:
                return "";
        }
    }

    /** The interface index. */
    public int ifindex() {
        return ifindex;
    }

    /** The mode asked for. */
    public XdpMode mode() {
        return mode;
    }
}
