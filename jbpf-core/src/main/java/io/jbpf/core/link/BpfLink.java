package io.jbpf.core.link;

import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.ObjectInfo;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.prog.Program;

/**
 * A link backed by a kernel {@code bpf_link} fd: it has {@link #info()}, can be {@link #pin pinned}
 * (a pinned link keeps the program attached after this object is closed, until the pin is removed)
 * and, for the kinds the kernel supports (XDP, TCX, cgroup), {@link #update updated} in place.
 */
public abstract sealed class BpfLink implements Link
        permits XdpLink, TcxLink, CgroupLink, RawTracepointLink, KprobeMultiLink, UprobeMultiLink, PinnedLink,
        StructOpsLink {

    private final Fd fd;

    BpfLink(Fd fd) {
        this.fd = fd;
    }

    /** Opens the link pinned at {@code path}. Closing the result does not detach it: the pin still holds it. */
    public static PinnedLink openPinned(String path) {
        return new PinnedLink(ObjectInfo.openPinned(path, "link"), path);
    }

    @Override
    public LinkInfo info() {
        return LinkFds.info(fd);
    }

    /** The link's kernel id. */
    public int id() {
        return info().id();
    }

    @Override
    public void pin(String path) {
        LinkFds.pin(fd, path);
    }

    /**
     * Replaces the program atomically ({@code BPF_LINK_UPDATE}). Kinds the kernel cannot update
     * fail with a {@link io.jbpf.core.BpfException} carrying {@code EOPNOTSUPP}.
     */
    @Override
    public void update(Program program) {
        LinkFds.update(fd, program, null);
    }

    /** Replaces the program only if {@code expected} is the one attached now ({@code BPF_F_REPLACE}). */
    public void update(Program program, Program expected) {
        LinkFds.update(fd, program, expected);
    }

    /**
     * Detaches the program now ({@code BPF_LINK_DETACH}), even if the link is pinned or its fd is
     * shared; the link stays open but defunct until closed.
     */
    public void detach() {
        LinkFds.detach(fd);
    }

    /** The link fd number, for other calls; the link keeps owning it. */
    public int fd() {
        return fd.get();
    }

    @Override
    public boolean isClosed() {
        return fd.isClosed();
    }

    /** Releases the link fd: the program is detached unless the link is pinned or shared. */
    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return fd.toString();
    }
}
