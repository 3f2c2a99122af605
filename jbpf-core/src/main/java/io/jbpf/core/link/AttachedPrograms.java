package io.jbpf.core.link;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.Bpf;
import io.jbpf.core.internal.sys.BpfAttr;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.link.internal.Cgroups;
import io.jbpf.core.prog.AttachType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The programs attached to a hook, as {@code BPF_PROG_QUERY} reports them, in run order.
 *
 * @param programIds the ids of the attached programs
 * @param linkIds for multi-program hooks (TCX, recent cgroup kernels): the link of each program, 0 where attached without one
 * @param revision the hook's revision (TCX), 0 where the kernel keeps none
 */
public record AttachedPrograms(List<Integer> programIds, List<Integer> linkIds, long revision) {
    private static final int MAX = 256;

    /** Copies the lists. */
    public AttachedPrograms {
        programIds = List.copyOf(programIds);
        linkIds = List.copyOf(linkIds);
    }

    /** The programs attached directly to {@code cgroup} as {@code type}. */
    public static AttachedPrograms ofCgroup(Path cgroup, AttachType type) {
        try (Fd cg = Cgroups.open(cgroup)) {
            return query(cg.get(), type, false, "query programs on cgroup " + cgroup + " (" + type + ")");
        }
    }

    /** The programs on a TCX hook ({@code TCX_INGRESS/EGRESS}) of interface {@code ifindex} in this thread's netns. */
    public static AttachedPrograms ofInterface(int ifindex, AttachType type) {
        return query(ifindex, type, true, "query programs on interface index " + ifindex + " (" + type + ")");
    }

    private static AttachedPrograms query(int target, AttachType type, boolean withLinks, String what) {
        NativeBuffer progIds = NativeBuffer.allocate(4 * MAX);
        NativeBuffer linkIds = NativeBuffer.allocate(4 * MAX);
        NativeBuffer a = Bpf.attr(BpfAttr.Query.SIZE);
        ByteBuffer b = a.buffer();
        b.putInt(BpfAttr.Query.TARGET_FD, target);
        b.putInt(BpfAttr.Query.ATTACH_TYPE, type.number());
        b.putLong(BpfAttr.Query.PROG_IDS, progIds.address());
        b.putInt(BpfAttr.Query.PROG_CNT, MAX);
        if (withLinks) {
            b.putLong(BpfAttr.Query.LINK_IDS, linkIds.address());
        }
        long r = Bpf.tryCall(BpfCommand.PROG_QUERY, a, BpfAttr.Query.SIZE);
        if (r < 0) {
            throw new BpfException(BpfCommand.PROG_QUERY, Errno.of((int) -r), what);
        }
        int n = Math.min(b.getInt(BpfAttr.Query.PROG_CNT), MAX);
        List<Integer> progs = new ArrayList<>();
        List<Integer> links = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            progs.add(progIds.buffer().getInt(4 * i));
            links.add(withLinks ? linkIds.buffer().getInt(4 * i) : 0);
        }
        return new AttachedPrograms(progs, links, withLinks ? b.getLong(BpfAttr.Query.REVISION) : 0);
    }
}
