package io.jbpf.core.link;

import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.link.internal.PerfEvents;

/**
 * A program attached to a perf event: a kprobe, uprobe or tracepoint. The link owns the perf
 * event fd and, when attached with {@link PerfAttachMethod#BPF_LINK}, the {@code bpf_link} fd;
 * only then does it have {@link #info()} and {@link #pin}. The kernel cannot update perf links.
 */
public abstract sealed class PerfEventLink implements Link permits KprobeLink, UprobeLink, TracepointLink {
    private final Fd perfEvent;
    private final Fd link;
    private final String description;

    PerfEventLink(PerfEvents.Attached attached, String description) {
        this.perfEvent = attached.perfEvent();
        this.link = attached.link();
        this.description = description;
    }

    /** Whether the program is attached through a {@code bpf_link} (else through the perf ioctls). */
    public boolean isBpfLink() {
        return link != null;
    }

    @Override
    public LinkInfo info() {
        if (link == null) {
            return Link.super.info();
        }
        return LinkFds.info(link);
    }

    @Override
    public void pin(String path) {
        if (link == null) {
            Link.super.pin(path);
        }
        LinkFds.pin(link, path);
    }

    /** The perf event fd number; the link keeps owning it. */
    public int perfEventFd() {
        return perfEvent.get();
    }

    @Override
    public boolean isClosed() {
        return perfEvent.isClosed();
    }

    /** Detaches: closes the link (if any) and the perf event. */
    @Override
    public synchronized void close() {
        if (perfEvent.isClosed()) {
            return;
        }
        try {
            if (link != null) {
                link.close();
            } else {
                PerfEvents.disable(perfEvent);
            }
        } finally {
            perfEvent.close();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + description + (isBpfLink() ? ", bpf_link" : ", ioctl")
                + (isClosed() ? ", closed" : "") + "]";
    }
}
