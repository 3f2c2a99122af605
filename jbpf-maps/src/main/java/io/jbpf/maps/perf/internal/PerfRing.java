package io.jbpf.maps.perf.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.PerfEventAttr;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.maps.internal.events.Mmap;
import io.jbpf.maps.internal.events.Ordered;
import io.jbpf.maps.perf.SampleHandler;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * One CPU's {@code PERF_COUNT_SW_BPF_OUTPUT} event and its mmapped ring
 * ({@code include/uapi/linux/perf_event.h}): a metadata page ({@code struct perf_event_mmap_page},
 * with {@code data_head} written by the kernel and {@code data_tail} by the reader), then the
 * data pages. Records are a {@code perf_event_header} (u32 type, u16 misc, u16 size) and a body;
 * unlike a BPF ring buffer the data is mapped once, so a record crossing the end is copied.
 */
public final class PerfRing implements AutoCloseable {
    /** {@code PERF_TYPE_SOFTWARE}. */
    static final int TYPE_SOFTWARE = 1;
    /** {@code PERF_COUNT_SW_BPF_OUTPUT}. */
    static final long COUNT_SW_BPF_OUTPUT = 10;
    /** {@code PERF_SAMPLE_RAW}. */
    static final long SAMPLE_RAW = 1L << 10;
    /** The {@code watermark} bit of the attr's flag word. */
    static final long FLAG_WATERMARK = 1L << 14;
    /** {@code PERF_RECORD_LOST}. */
    static final int RECORD_LOST = 2;
    /** {@code PERF_RECORD_SAMPLE}. */
    static final int RECORD_SAMPLE = 9;
    /** Offsets in {@code struct perf_event_mmap_page}. */
    static final int DATA_HEAD = 1024;
    static final int DATA_TAIL = 1032;
    static final int DATA_OFFSET = 1040;
    static final int DATA_SIZE = 1048;

    private final int cpu;
    private final Fd fd;
    private final Mmap mmap;
    private final ByteBuffer meta;
    private final ByteBuffer data;
    private final long mask;
    private final int size;
    private long lost;

    private PerfRing(int cpu, Fd fd, Mmap mmap, int page, int dataPages) {
        this.cpu = cpu;
        this.fd = fd;
        this.mmap = mmap;
        this.meta = mmap.view(0, page);
        long off = meta.getLong(DATA_OFFSET);
        long sz = meta.getLong(DATA_SIZE);
        if (off == 0 || sz == 0) { // kernels before 4.1 do not fill them in
            off = page;
            sz = (long) page * dataPages;
        }
        this.size = (int) sz;
        this.mask = sz - 1;
        this.data = mmap.view(off, (int) sz).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * Opens the event on {@code cpu} and maps its ring; returns null when the CPU is offline
     * (ENODEV). The event is enabled.
     */
    public static PerfRing open(int cpu, int dataPages, int wakeupEvents, int watermarkBytes, String what) {
        NativeBuffer attr = NativeBuffer.allocate(PerfEventAttr.SIZE);
        ByteBuffer b = attr.buffer();
        b.putInt(PerfEventAttr.TYPE, TYPE_SOFTWARE);
        b.putInt(PerfEventAttr.SIZE_FIELD, PerfEventAttr.SIZE);
        b.putLong(PerfEventAttr.CONFIG, COUNT_SW_BPF_OUTPUT);
        b.putLong(PerfEventAttr.SAMPLE_PERIOD, 1);
        b.putLong(PerfEventAttr.SAMPLE_TYPE, SAMPLE_RAW);
        if (watermarkBytes > 0) {
            b.putLong(PerfEventAttr.FLAGS, FLAG_WATERMARK);
            b.putInt(PerfEventAttr.WAKEUP_EVENTS, watermarkBytes);
        } else {
            b.putInt(PerfEventAttr.WAKEUP_EVENTS, wakeupEvents);
        }
        int r = Sys.get().perfEventOpen(attr.address(), -1, cpu, -1, PerfEventAttr.FLAG_FD_CLOEXEC);
        Reference.reachabilityFence(attr);
        if (r == -Errno.ENODEV.number()) {
            return null;
        }
        String name = what + " (CPU " + cpu + ")";
        if (r < 0) {
            throw new BpfException("perf_event_open(PERF_COUNT_SW_BPF_OUTPUT)", Errno.of(-r), name);
        }
        Fd fd = Fd.own(r, "perf event of " + name);
        Mmap m = null;
        try {
            int page = Sys.get().pageSize();
            m = Mmap.map(fd.get(), 0, (long) page * (1 + dataPages), Epoll.PROT_READ | Epoll.PROT_WRITE, name);
            int e = Sys.get().ioctl(fd.get(), PerfEventAttr.IOC_ENABLE, 0);
            if (e < 0) {
                throw new BpfException("ioctl(PERF_EVENT_IOC_ENABLE)", Errno.of(-e), name);
            }
            return new PerfRing(cpu, fd, m, page, dataPages);
        } catch (RuntimeException e) {
            Mmap.closeAll(m);
            fd.close();
            throw e;
        }
    }

    /** The CPU of this ring. */
    public int cpu() {
        return cpu;
    }

    /** The event's fd, to store in the perf event array. */
    public int fd() {
        return fd.get();
    }

    /** Samples the kernel reported lost on this CPU so far ({@code PERF_RECORD_LOST}). */
    public long lost() {
        return lost;
    }

    /** Bytes pending. */
    public long pending() {
        return Ordered.getLongAcquire(meta, DATA_HEAD) - meta.getLong(DATA_TAIL);
    }

    /**
     * Hands every pending sample to {@code handler}, copying those that wrap into {@code scratch}
     * (at least 64 KiB, the largest record) which {@code scratchView} views; counts lost-sample
     * records. Stops early once {@code stop} says so.
     */
    public int consume(SampleHandler handler, byte[] scratch, ByteBuffer scratchView, BooleanSupplier stop) {
        int count = 0;
        long tail = meta.getLong(DATA_TAIL);
        long head = Ordered.getLongAcquire(meta, DATA_HEAD);
        while (tail < head) {
            int off = (int) (tail & mask);
            int type = data.getInt(off);
            int recordSize = data.getShort(off + 6) & 0xffff;
            if (recordSize < 8) { // never written by a sane kernel: give up on the rest instead of looping
                tail = head;
                Ordered.setLongRelease(meta, DATA_TAIL, tail);
                break;
            }
            ByteBuffer buf = data;
            int base = off;
            if (off + recordSize > size) {
                int first = size - off;
                data.get(off, scratch, 0, first);
                data.get(0, scratch, first, recordSize - first);
                buf = scratchView;
                base = 0;
            }
            try {
                if (type == RECORD_SAMPLE) {
                    int length = buf.getInt(base + 8);
                    count++;
                    handler.onSample(cpu, buf, base + 12, Math.min(length, recordSize - 12));
                } else if (type == RECORD_LOST) {
                    lost += buf.getLong(base + 16);
                }
            } finally {
                tail += recordSize;
                Ordered.setLongRelease(meta, DATA_TAIL, tail);
            }
            if (stop.getAsBoolean()) {
                break;
            }
        }
        return count;
    }

    @Override
    public void close() {
        mmap.close();
        fd.close();
    }
}
