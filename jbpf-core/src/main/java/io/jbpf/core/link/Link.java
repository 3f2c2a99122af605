package io.jbpf.core.link;

import io.jbpf.core.prog.Program;

/**
 * A program attached to a hook. {@link #close()} detaches it (unless the attachment is pinned).
 *
 * <p>Every link owns the file descriptors it needs (link fd, perf event fd, cgroup fd, netlink
 * socket) and closes each once; using a closed link throws
 * {@link io.jbpf.core.ObjectClosedException}. Links built on a kernel {@code bpf_link}
 * ({@link BpfLink}) also have {@link #info()} and {@link #pin}; the older attachment kinds
 * (netlink XDP and TC, {@code BPF_PROG_ATTACH} on cgroups, socket options, perf event ioctls)
 * have no such kernel object and throw {@link UnsupportedOperationException} for them.
 */
public sealed interface Link extends AutoCloseable
        permits BpfLink, PerfEventLink, XdpNetlinkAttachment, TcFilterAttachment, CgroupAttachment, SocketFilter {

    /** Detaches the program and releases the link's fds. Idempotent. */
    @Override
    void close();

    /** Whether {@link #close()} has run. */
    boolean isClosed();

    /** What the kernel says about this link: id, program id, type, target. */
    default LinkInfo info() {
        throw new UnsupportedOperationException(this + " is not a bpf_link: the kernel keeps no link info for it");
    }

    /** Pins the link in bpffs at {@code path}: the program stays attached until the pin is removed. */
    default void pin(String path) {
        throw new UnsupportedOperationException(this + " is not a bpf_link and cannot be pinned");
    }

    /** Replaces the attached program by {@code program} atomically, where the kernel supports it. */
    default void update(Program program) {
        throw new UnsupportedOperationException(this + " cannot replace its program in place; close it and attach again");
    }
}
