package io.jbpf.core.link.internal;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.features.UnsupportedFeatureException;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.InfoLayout;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.ObjectInfo;
import io.jbpf.core.link.LinkInfo;
import io.jbpf.core.link.LinkType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import java.nio.ByteBuffer;
import java.util.function.Consumer;

/** bpf() operations on link fds: create, info, pin, update, detach. */
public final class LinkFds {
    /** {@code BPF_F_REPLACE}. */
    public static final int F_REPLACE = 1 << 2;

    private LinkFds() {}

    /**
     * {@code BPF_LINK_CREATE}. {@code extra} fills the attach-kind part of the attr. When the kernel
     * answers EINVAL/EOPNOTSUPP and is older than {@code type.since()} (or {@code compiledOut} says
     * EOPNOTSUPP means a missing kernel option), throws {@link UnsupportedFeatureException}.
     */
    public static Fd create(int progFd, int target, AttachType type, int flags, Consumer<ByteBuffer> extra,
            String feature, boolean compiledOut, String what) {
        NativeBuffer a = Bpf.attr(BpfAttr.LinkCreate.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.LinkCreate.PROG_FD, progFd);
        b.putInt(BpfAttr.LinkCreate.TARGET_FD, target);
        b.putInt(BpfAttr.LinkCreate.ATTACH_TYPE, type.number());
        b.putInt(BpfAttr.LinkCreate.FLAGS, flags);
        if (extra != null) {
            extra.accept(b);
        }
        long r = Bpf.tryCall(BpfCommand.LINK_CREATE, a, BpfAttr.LinkCreate.SIZE);
        if (r >= 0) {
            return Fd.own((int) r, "link (" + what + ")");
        }
        Errno e = Errno.of((int) -r);
        BpfException cause = new BpfException(BpfCommand.LINK_CREATE, e, what);
        boolean notSupp = e == Errno.EOPNOTSUPP || e == Errno.ENOTSUPP;
        if ((e == Errno.EINVAL || notSupp) && !KernelVersion.atLeast(type.since())
                || notSupp && compiledOut) {
            throw new UnsupportedFeatureException(feature, type.since(), cause);
        }
        throw cause;
    }

    /** {@code BPF_OBJ_GET_INFO_BY_FD} on a link. */
    public static LinkInfo info(Fd link) {
        NativeBuffer info = NativeBuffer.allocate(InfoLayout.Link.SIZE);
        ObjectInfo.infoByFd(link, info, InfoLayout.Link.SIZE);
        ByteBuffer b = info.buffer();
        LinkType type = LinkType.of(b.getInt(InfoLayout.Link.TYPE));
        int ifindex = 0;
        long cgroupId = 0;
        AttachType attachType = null;
        switch (type) {
            case XDP:
                ifindex = b.getInt(InfoLayout.Link.XDP_IFINDEX);
                break;
            case TCX:
                ifindex = b.getInt(InfoLayout.Link.TCX_IFINDEX);
                attachType = AttachType.of(b.getInt(InfoLayout.Link.TCX_ATTACH_TYPE));
                break;
            case CGROUP:
                cgroupId = b.getLong(InfoLayout.Link.CGROUP_ID);
                attachType = AttachType.of(b.getInt(InfoLayout.Link.CGROUP_ATTACH_TYPE));
                break;
            default:
                break;
        }
        return new LinkInfo(b.getInt(InfoLayout.Link.ID), type, b.getInt(InfoLayout.Link.PROG_ID), ifindex,
                cgroupId, attachType);
    }

    /** {@code BPF_OBJ_PIN}. */
    public static void pin(Fd link, String path) {
        ObjectInfo.pin(link, path);
    }

    /** {@code BPF_LINK_UPDATE} to {@code program}; with {@code expected} non-null, only if that one is attached. */
    public static void update(Fd link, Program program, Program expected) {
        NativeBuffer a = Bpf.attr(BpfAttr.LinkUpdate.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.LinkUpdate.LINK_FD, link.get());
        b.putInt(BpfAttr.LinkUpdate.NEW_PROG_FD, program.fd());
        if (expected != null) {
            b.putInt(BpfAttr.LinkUpdate.FLAGS, F_REPLACE);
            b.putInt(BpfAttr.LinkUpdate.OLD_PROG_FD, expected.fd());
        }
        Bpf.call(BpfCommand.LINK_UPDATE, a, BpfAttr.LinkUpdate.SIZE,
                "update " + link.what() + " to program '" + program.name() + "'");
    }

    /** {@code BPF_LINK_DETACH}: detaches even when pinned; the fd stays open but defunct. */
    public static void detach(Fd link) {
        NativeBuffer a = Bpf.attr(BpfAttr.Small.SIZE);
        a.buffer().putInt(BpfAttr.Small.LINK_DETACH_LINK_FD, link.get());
        Bpf.call(BpfCommand.LINK_DETACH, a, BpfAttr.Small.SIZE, "detach " + link.what());
    }

    /** An fd of its own for {@code program} (by id), for attachments that must name it again on detach. */
    public static Fd programFd(Program program) {
        return ObjectInfo.byId(BpfCommand.PROG_GET_FD_BY_ID, program.id(), "program '" + program.name() + "'");
    }
}
