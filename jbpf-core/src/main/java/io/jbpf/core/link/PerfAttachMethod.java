package io.jbpf.core.link;

/** How a program is attached to a perf event (kprobe, uprobe, tracepoint). */
public enum PerfAttachMethod {
    /** A {@code bpf_link} where the kernel has perf links (5.15), else the ioctls. */
    AUTO,
    /** {@code BPF_LINK_CREATE} with attach type {@code BPF_PERF_EVENT}: pinnable, has link info. */
    BPF_LINK,
    /** {@code PERF_EVENT_IOC_SET_BPF} and {@code PERF_EVENT_IOC_ENABLE} (Linux 4.1): no link object. */
    IOCTL
}
