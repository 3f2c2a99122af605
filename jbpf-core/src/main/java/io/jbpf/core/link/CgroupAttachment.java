package io.jbpf.core.link;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.link.internal.CgroupTypes;
import io.jbpf.core.link.internal.Cgroups;
import io.jbpf.core.link.internal.HeldProgram;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * A program attached to a cgroup with the legacy {@code BPF_PROG_ATTACH} (Linux 4.10), in a
 * {@link CgroupAttachMode}; {@link #close()} detaches it with {@code BPF_PROG_DETACH}. Unlike a
 * {@link CgroupLink} the attachment is not tied to a file: if this object is never closed the
 * program stays attached until the cgroup is removed. Holds the cgroup fd and its own fd of the
 * program, to name both on detach.
 */
public final class CgroupAttachment implements Link {
    private final Fd cgroupFd;
    private final HeldProgram program;
    private final Path cgroup;
    private final AttachType attachType;
    private final CgroupAttachMode mode;

    private CgroupAttachment(Fd cgroupFd, HeldProgram program, Path cgroup, AttachType attachType,
            CgroupAttachMode mode) {
        this.cgroupFd = cgroupFd;
        this.program = program;
        this.cgroup = cgroup;
        this.attachType = attachType;
        this.mode = mode;
    }

    /** Attaches {@code program} to {@code cgroup} as {@code attachType} in {@code mode}. */
    public static CgroupAttachment attach(Program program, Path cgroup, AttachType attachType, CgroupAttachMode mode) {
        CgroupTypes.check(attachType);
        program.fd(); // closed programs fail here, before anything is opened
        Fd cg = Cgroups.open(cgroup);
        HeldProgram prog = null;
        try {
            prog = HeldProgram.of(program);
            progAttach(cg, prog.fd(), attachType, mode.flags(), -1,
                    "attach program '" + program.name() + "' to cgroup " + cgroup + " as " + attachType + " (" + mode + ")",
                    cgroup);
            return new CgroupAttachment(cg, prog, cgroup, attachType, mode);
        } catch (RuntimeException e) {
            if (prog != null) {
                prog.release();
            }
            cg.close();
            throw e;
        }
    }

    private static void progAttach(Fd cg, int progFd, AttachType type, int flags, int replaceFd, String what, Path cgroup) {
        NativeBuffer a = Bpf.attr(BpfAttr.ProgAttach.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.ProgAttach.TARGET_FD, cg.get());
        b.putInt(BpfAttr.ProgAttach.ATTACH_BPF_FD, progFd);
        b.putInt(BpfAttr.ProgAttach.ATTACH_TYPE, type.number());
        b.putInt(BpfAttr.ProgAttach.ATTACH_FLAGS, flags | (replaceFd >= 0 ? LinkFds.F_REPLACE : 0));
        if (replaceFd >= 0) {
            b.putInt(BpfAttr.ProgAttach.REPLACE_BPF_FD, replaceFd);
        }
        try {
            Bpf.call(BpfCommand.PROG_ATTACH, a, BpfAttr.ProgAttach.SIZE, what);
        } catch (BpfException e) {
            throw new AttachException(e, CgroupTypes.hint(e.errno(), cgroup.toString(), type));
        }
    }

    /**
     * Replaces the program: in {@link CgroupAttachMode#MULTI} mode atomically in its place
     * ({@code BPF_F_REPLACE}), in the other modes by attaching over it.
     */
    @Override
    public synchronized void update(Program next) {
        String what = "replace program '" + program.name() + "' on cgroup " + cgroup + " (" + attachType
                + ") by '" + next.name() + "'";
        program.replace(next, fd -> progAttach(cgroupFd, fd, attachType, mode.flags(),
                mode == CgroupAttachMode.MULTI ? program.fd() : -1, what, cgroup));
    }

    /** Detaches with {@code BPF_PROG_DETACH} and closes the fds. */
    @Override
    public synchronized void close() {
        if (cgroupFd.isClosed()) {
            return;
        }
        try {
            NativeBuffer a = Bpf.attr(BpfAttr.ProgAttach.SIZE);
            ByteBuffer b = a.buffer();
            b.putInt(BpfAttr.ProgAttach.TARGET_FD, cgroupFd.get());
            b.putInt(BpfAttr.ProgAttach.ATTACH_BPF_FD, program.fd());
            b.putInt(BpfAttr.ProgAttach.ATTACH_TYPE, attachType.number());
            String what = "detach program '" + program.name() + "' from cgroup " + cgroup + " (" + attachType + ")";
            try {
                Bpf.call(BpfCommand.PROG_DETACH, a, BpfAttr.ProgAttach.SIZE, what);
            } catch (BpfException e) {
                throw new AttachException(e, CgroupTypes.hint(e.errno(), cgroup.toString(), attachType));
            }
        } finally {
            program.release();
            cgroupFd.close();
        }
    }

    @Override
    public boolean isClosed() {
        return cgroupFd.isClosed();
    }

    /** The cgroup directory. */
    public Path cgroup() {
        return cgroup;
    }

    /** The hook on the cgroup. */
    public AttachType attachType() {
        return attachType;
    }

    /** The mode the program was attached in. */
    public CgroupAttachMode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return "CgroupAttachment[program '" + program.name() + "' on " + cgroup + " as " + attachType + ", " + mode
                + (isClosed() ? ", closed" : "") + "]";
    }
}
