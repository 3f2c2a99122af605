package io.jbpf.maps.ringbuf.internal;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapType;

/**
 * The memory layout the kernel gives a BPF ring buffer ({@code kernel/bpf/ringbuf.c},
 * {@code include/uapi/linux/bpf.h}): one page holding the consumer position at offset 0, one
 * page holding the producer position, then the data area mapped twice in a row so that a record
 * crossing the end is contiguous. Each record starts with an 8-byte header: a u32 length whose
 * top bits are {@link #BUSY} and {@link #DISCARD}, and a u32 page offset (kernel use).
 */
public final class RingLayout {
    private RingLayout() {}

    /** {@code BPF_RINGBUF_BUSY_BIT}: the producer has not committed the record yet. */
    public static final int BUSY = 1 << 31;
    /** {@code BPF_RINGBUF_DISCARD_BIT}: the producer discarded the record. */
    public static final int DISCARD = 1 << 30;
    /** {@code BPF_RINGBUF_HDR_SZ}. */
    public static final int HEADER = 8;
    /** The largest data area this implementation maps: twice of it must fit a Java buffer. */
    public static final int MAX_SIZE = 1 << 29;

    /** A record's footprint: header plus length, rounded up to 8. */
    public static long footprint(int length) {
        return ((long) length + HEADER + 7) & ~7L;
    }

    /** Checks that {@code map} is of {@code type} with a data size this implementation can map. */
    public static int checkedSize(KernelMap map, MapType type) {
        if (map.spec().type() != type) {
            throw new IllegalArgumentException("map '" + map.spec().name() + "' is a " + map.spec().type()
                    + ", not a " + type);
        }
        int size = map.spec().maxEntries();
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("map '" + map.spec().name() + "': ring buffers of more than "
                    + MAX_SIZE + " bytes are not supported (" + size + ")");
        }
        return size;
    }
}
