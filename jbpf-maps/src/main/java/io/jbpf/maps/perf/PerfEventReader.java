package io.jbpf.maps.perf;

import io.jbpf.core.JbpfException;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Cpus;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.events.Deadline;
import io.jbpf.maps.internal.events.Guard;
import io.jbpf.maps.internal.events.Poller;
import io.jbpf.maps.perf.internal.PerfRing;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Reads the samples BPF programs write with {@code bpf_perf_event_output} to a perf event array
 * ({@code BPF_MAP_TYPE_PERF_EVENT_ARRAY}).
 *
 * <p>For every online CPU (up to the map's size) the reader opens a
 * {@code PERF_COUNT_SW_BPF_OUTPUT} software event sampling {@code PERF_SAMPLE_RAW}, maps its ring,
 * and stores the event's fd in the map under the CPU's index, so that a program writing with
 * {@code BPF_F_CURRENT_CPU} reaches the ring of the CPU it runs on. Samples are handed to a
 * {@link SampleHandler} in place; a sample that wraps around the end of its ring is copied into a
 * reused buffer first. Samples of one CPU arrive in order; samples of different CPUs are not
 * ordered with respect to each other.
 *
 * <p><b>Lost samples.</b> When a CPU's ring is full the kernel drops samples and, as soon as
 * there is room again, writes a lost record counting them; {@link #lostSamples()} sums those. A
 * drop therefore becomes visible only after the reader has made room and the next sample on that
 * CPU was written.
 *
 * <p><b>Threads and ownership</b> are as for {@link io.jbpf.maps.ringbuf.RingBufferReader}: one
 * reading thread, {@link #close()} from any thread wakes a waiting poll. The reader owns the
 * perf event fds and mappings; on close it removes its fds from the map (if the map is still open)
 * and closes them. It does not own the map.
 *
 * <p><b>Forgotten without close.</b> Once unreachable, its mappings are unmapped and its fds
 * closed by a {@link java.lang.ref.Cleaner}, with a warning logged; until then it holds the map
 * alive in the kernel. Close it.
 */
public final class PerfEventReader implements AutoCloseable {
    private static final int MAX_RECORD = 1 << 16;

    private final String what;
    private final KernelMap map;
    private final PerfRing[] rings;
    private final Poller poller;
    private final Guard guard;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final byte[] scratch = new byte[MAX_RECORD];
    private final ByteBuffer scratchView = ByteBuffer.wrap(scratch).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    private final BooleanSupplier stop;

    private PerfEventReader(String what, KernelMap map, PerfRing[] rings, Poller poller) {
        this.what = what;
        this.map = map;
        this.rings = rings;
        this.poller = poller;
        this.guard = new Guard(what, this::release);
        this.stop = guard::isClosed;
    }

    /** A reader with {@link PerfReaderOptions#DEFAULT}. */
    public static PerfEventReader open(KernelMap map) {
        return open(map, PerfReaderOptions.DEFAULT);
    }

    /**
     * Opens one perf ring per online CPU and stores its fd in {@code map}, a
     * {@link MapType#PERF_EVENT_ARRAY}. CPUs at or beyond the map's size get no ring.
     *
     * @throws IllegalArgumentException when the map is of another type
     * @throws io.jbpf.core.BpfException when perf_event_open, mmap, epoll or the map update fails
     */
    public static PerfEventReader open(KernelMap map, PerfReaderOptions options) {
        Objects.requireNonNull(options, "options");
        if (map.spec().type() != MapType.PERF_EVENT_ARRAY) {
            throw new IllegalArgumentException("map '" + map.spec().name() + "' is a " + map.spec().type()
                    + ", not a " + MapType.PERF_EVENT_ARRAY);
        }
        String what = "perf event reader of map '" + map.spec().name() + "'";
        int cpus = Math.min(Cpus.possible(), map.spec().maxEntries());
        List<PerfRing> opened = new ArrayList<>();
        Poller poller = null;
        try {
            poller = Poller.create(Math.max(cpus, 1), what);
            for (int cpu = 0; cpu < cpus; cpu++) {
                PerfRing ring = PerfRing.open(cpu, options.pagesPerCpu(), options.wakeupEvents(),
                        options.watermarkBytes(), what);
                if (ring == null) {
                    continue;
                }
                opened.add(ring);
                map.update(intBytes(cpu), intBytes(ring.fd()), 0);
                poller.add(ring.fd(), Epoll.IN, opened.size() - 1);
            }
            if (opened.isEmpty()) {
                throw new JbpfException(what + ": no online CPU below the map's size " + map.spec().maxEntries());
            }
            return new PerfEventReader(what, map, opened.toArray(new PerfRing[0]), poller);
        } catch (RuntimeException e) {
            for (PerfRing r : opened) {
                removeQuietly(map, r.cpu());
                r.close();
            }
            if (poller != null) {
                poller.close();
            }
            throw e;
        }
    }

    /** The CPUs this reader has a ring for. */
    public int[] cpus() {
        int[] c = new int[rings.length];
        for (int i = 0; i < rings.length; i++) {
            c[i] = rings[i].cpu();
        }
        return c;
    }

    /**
     * Hands every pending sample of every CPU to {@code handler}, waiting up to {@code timeout}
     * for one when there is none (a negative timeout waits without limit). Returns the number of
     * samples handled: 0 when the time ran out or the reader was closed meanwhile.
     */
    public int poll(Duration timeout, SampleHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Deadline deadline = Deadline.after(timeout);
        guard.enterExclusive("read");
        try {
            return poller.awaitWork(deadline, guard, () -> consumeAll(handler));
        } finally {
            guard.exitExclusive();
        }
    }

    /** Hands every pending sample to {@code handler} without waiting; returns how many. */
    public int drain(SampleHandler handler) {
        Objects.requireNonNull(handler, "handler");
        guard.enterExclusive("read");
        try {
            return consumeAll(handler);
        } finally {
            guard.exitExclusive();
        }
    }

    /** Samples the kernel reported lost, over all CPUs, as far as this reader has read. */
    public long lostSamples() {
        guard.enter();
        try {
            long sum = 0;
            for (PerfRing r : rings) {
                sum += r.lost();
            }
            return sum;
        } finally {
            guard.exit();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /** Closes the reader; wakes a waiting poll; idempotent and callable from any thread. */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        poller.wake();
        guard.close();
    }

    private int consumeAll(SampleHandler handler) {
        int n = 0;
        for (PerfRing r : rings) {
            if (guard.isClosed()) {
                break;
            }
            n += r.consume(handler, scratch, scratchView, stop);
        }
        return n;
    }


    private void release() {
        for (PerfRing r : rings) {
            removeQuietly(map, r.cpu());
            r.close();
        }
        poller.close();
    }

    private static void removeQuietly(KernelMap map, int cpu) {
        try {
            map.delete(intBytes(cpu));
        } catch (ObjectClosedException e) {
            // the map is gone already, and its entries with it
        } catch (JbpfException e) {
            // the entry was replaced or removed by someone else: nothing of ours to remove
        }
    }

    private static byte[] intBytes(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, v).array();
    }

    @Override
    public String toString() {
        return what + (isClosed() ? " (closed)" : "");
    }
}
