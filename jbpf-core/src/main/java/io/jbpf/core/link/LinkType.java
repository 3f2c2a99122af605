package io.jbpf.core.link;

/** Kinds of kernel {@code bpf_link} ({@code enum bpf_link_type}) with the kernel's numbers. */
public enum LinkType {
    UNSPEC(0),
    RAW_TRACEPOINT(1),
    TRACING(2),
    CGROUP(3),
    ITER(4),
    NETNS(5),
    XDP(6),
    PERF_EVENT(7),
    KPROBE_MULTI(8),
    STRUCT_OPS(9),
    NETFILTER(10),
    TCX(11),
    UPROBE_MULTI(12),
    NETKIT(13),
    SOCKMAP(14);

    private final int number;

    LinkType(int number) {
        this.number = number;
    }

    /** The kernel's number. */
    public int number() {
        return number;
    }

    /** The type for a kernel number; {@link #UNSPEC} for a number this version of jbpf does not know. */
    public static LinkType of(int number) {
        for (LinkType t : values()) {
            if (t.number == number) {
                return t;
            }
        }
        return UNSPEC;
    }
}
