package io.jbpf.core.internal.sys;

/**
 * Byte offsets of the kernel's {@code struct perf_event_attr} ({@code include/uapi/linux/perf_event.h})
 * and the perf constants jbpf uses to attach programs to perf events.
 */
public final class PerfEventAttr {
    private PerfEventAttr() {}

    public static final int TYPE = 0;
    public static final int SIZE_FIELD = 4;
    public static final int CONFIG = 8;
    public static final int SAMPLE_PERIOD = 16;
    public static final int SAMPLE_TYPE = 24;
    public static final int READ_FORMAT = 32;
    /** The bit field word: disabled is bit 0, inherit bit 1, ... */
    public static final int FLAGS = 40;
    public static final int WAKEUP_EVENTS = 48;
    public static final int BP_TYPE = 52;
    /** config1: kprobe_func / uprobe_path (a pointer to a C string) / bp_addr. */
    public static final int CONFIG1 = 56;
    /** config2: probe_offset / bp_len. */
    public static final int CONFIG2 = 64;
    /** {@code PERF_ATTR_SIZE_VER7}: the size jbpf passes. */
    public static final int SIZE = 128;

    /** {@code PERF_TYPE_TRACEPOINT}. */
    public static final int TYPE_TRACEPOINT = 2;
    /** {@code PERF_FLAG_FD_CLOEXEC}. */
    public static final long FLAG_FD_CLOEXEC = 8;

    /** {@code PERF_EVENT_IOC_ENABLE}: {@code _IO('$', 0)}. */
    public static final long IOC_ENABLE = 0x2400;
    /** {@code PERF_EVENT_IOC_DISABLE}: {@code _IO('$', 1)}. */
    public static final long IOC_DISABLE = 0x2401;
    /** {@code PERF_EVENT_IOC_SET_BPF}: {@code _IOW('$', 8, __u32)}. */
    public static final long IOC_SET_BPF = 0x40042408L;
}
