package io.jbpf.core.link;

/** How {@code BPF_PROG_ATTACH} shares a cgroup hook with other programs and with descendants. */
public enum CgroupAttachMode {
    /** One program; descendants may not attach their own. */
    NONE(0),
    /** One program; a descendant's program overrides it for the descendant ({@code BPF_F_ALLOW_OVERRIDE}). */
    OVERRIDE(1),
    /** Several programs, all run, descendants' too ({@code BPF_F_ALLOW_MULTI}). */
    MULTI(2);

    private final int flags;

    CgroupAttachMode(int flags) {
        this.flags = flags;
    }

    /** The {@code BPF_F_ALLOW_*} flags. */
    public int flags() {
        return flags;
    }
}
