package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.internal.CgroupTypes;
import io.jbpf.core.link.internal.Cgroups;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import java.nio.file.Path;

/**
 * A program attached to a cgroup v2 through a {@code bpf_link} ({@code BPF_LINK_CREATE}; Linux
 * 5.7). Cgroup links always allow several programs per hook (like {@code BPF_F_ALLOW_MULTI}) and
 * apply to the cgroup and its descendants. Attach types: {@code CGROUP_INET_INGRESS/EGRESS}
 * (program type CGROUP_SKB), {@code CGROUP_INET_SOCK_CREATE} (CGROUP_SOCK),
 * {@code CGROUP_INET4_CONNECT} and the other sock_addr hooks (CGROUP_SOCK_ADDR, loaded with that
 * expected attach type), {@code CGROUP_GETSOCKOPT/SETSOCKOPT}, {@code CGROUP_SYSCTL},
 * {@code CGROUP_DEVICE}, ... For {@code BPF_PROG_ATTACH} with its modes use {@link CgroupAttachment}.
 */
public final class CgroupLink extends BpfLink {
    private final Path cgroup;
    private final AttachType attachType;

    private CgroupLink(Fd fd, Path cgroup, AttachType attachType) {
        super(fd);
        this.cgroup = cgroup;
        this.attachType = attachType;
    }

    /** Attaches {@code program} to the cgroup directory {@code cgroup} as {@code attachType}. */
    public static CgroupLink attach(Program program, Path cgroup, AttachType attachType) {
        CgroupTypes.check(attachType);
        String what = "attach program '" + program.name() + "' to cgroup " + cgroup + " as " + attachType;
        int progFd = program.fd();
        try (Fd cg = Cgroups.open(cgroup)) {
            Fd fd = LinkFds.create(progFd, cg.get(), attachType, 0, null, "cgroup links", false, what);
            return new CgroupLink(fd, cgroup, attachType);
        } catch (BpfException e) {
            throw new AttachException(e, CgroupTypes.hint(e.errno(), cgroup.toString(), attachType));
        }
    }

    /** The cgroup directory. */
    public Path cgroup() {
        return cgroup;
    }

    /** The hook on the cgroup. */
    public AttachType attachType() {
        return attachType;
    }
}
