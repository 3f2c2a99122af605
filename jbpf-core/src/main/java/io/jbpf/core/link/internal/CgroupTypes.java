package io.jbpf.core.link.internal;

import io.jbpf.core.prog.AttachType;

/** Which attach types attach to cgroups. */
public final class CgroupTypes {
    private CgroupTypes() {}

    /** Throws unless {@code type} is a cgroup attach type. */
    public static void check(AttachType type) {
        if (!type.name().startsWith("CGROUP_") && type != AttachType.LSM_CGROUP) {
            throw new IllegalArgumentException(type + " is not a cgroup attach type (use one of CGROUP_*)");
        }
    }

    /** Hints for the errnos of cgroup attach. */
    public static String hint(io.jbpf.core.Errno errno, String cgroup, AttachType type) {
        switch (errno) {
            case EBADF:
                return cgroup + " is not a cgroup v2 directory";
            case EINVAL:
                return "check that the program's type (and expected attach type, for sock_addr, sockopt and"
                        + " post_bind programs) matches " + type;
            case EPERM:
                return "a program attached to " + cgroup + " or an ancestor without BPF_F_ALLOW_OVERRIDE/MULTI"
                        + " forbids more programs there, or the attach modes differ";
            case EEXIST:
                return "this program is already attached to " + cgroup + " as " + type;
            case ENOENT:
                return "the program is not attached to " + cgroup + " as " + type;
            default:
                return "";
        }
    }
}
