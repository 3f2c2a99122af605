package io.jbpf.maps.ringbuf;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.events.Deadline;
import io.jbpf.maps.internal.events.Guard;
import io.jbpf.maps.internal.events.Poller;
import io.jbpf.maps.ringbuf.internal.Ring;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads the records BPF programs write to a ring buffer map ({@code BPF_MAP_TYPE_RINGBUF}) with
 * {@code bpf_ringbuf_output} or {@code bpf_ringbuf_reserve}/{@code submit}.
 *
 * <p>The reader maps the ring into this process (the consumer page read-write, the producer page
 * and the data area read-only) and hands each committed record to a {@link RecordHandler} in
 * place: no system call and no allocation per record. Records the program discarded are skipped;
 * reading stops at the first record still being written. Waiting uses epoll on the map.
 *
 * <p><b>A record is valid only while its handler runs.</b> When the handler returns, the reader
 * gives the record's space back to the kernel, which may overwrite it at once; after
 * {@link #close()} the ring is unmapped. A {@link RingRecordHandler} receives a checked
 * {@link RingRecord} that throws {@link IllegalStateException} when used after that; a
 * {@link RecordHandler} receives the raw buffer, unchecked and allocation-free, which must not be
 * kept. Copy what you keep inside the handler (or use {@link #stream()}, which copies).
 *
 * <p><b>Lost records.</b> A ring buffer keeps no count of records it could not take: when it is
 * full, {@code bpf_ringbuf_output} and {@code bpf_ringbuf_reserve} fail in the program, and only
 * the program can count that (for example in an array map), as the tests of this package do.
 *
 * <p><b>Threads.</b> One thread reads at a time (a second concurrent {@code poll} or
 * {@code drain} throws {@link IllegalStateException}). {@link #close()} may be called from any
 * thread, also while another thread waits in {@link #poll}: that poll returns promptly, and the
 * mappings are released when it has returned. After close, reading throws
 * {@link ObjectClosedException}. The reader does not own the map: closing the map while the
 * reader is open is allowed (the mapping keeps the ring alive) and closing the reader does not
 * close the map.
 *
 * <p><b>Forgotten without close.</b> Once unreachable, its mappings are unmapped and its fds
 * closed by a {@link java.lang.ref.Cleaner}, with a warning logged; until then it holds the map
 * alive in the kernel. Close it.
 */
public final class RingBufferReader implements AutoCloseable {
    private final String what;
    private final Ring ring;
    private final Poller poller;
    private final Guard guard;
    private final RecordScope scope = new RecordScope();
    private final BooleanSupplier stop;
    private final AtomicBoolean closing = new AtomicBoolean();

    private RingBufferReader(String what, Ring ring, Poller poller) {
        this.what = what;
        this.ring = ring;
        this.poller = poller;
        this.guard = new Guard(what, this::release);
        this.stop = guard::isClosed;
    }

    /**
     * Opens a reader on {@code map}, which must be a {@link MapType#RINGBUF} of at most 512 MiB.
     *
     * @throws IllegalArgumentException when the map is of another type or too large
     * @throws io.jbpf.core.BpfException when mmap or epoll fails (for example ENOMEM)
     */
    public static RingBufferReader open(KernelMap map) {
        String what = "ring buffer reader of map '" + map.spec().name() + "'";
        Ring ring = Ring.map(map, what);
        Poller poller = null;
        try {
            poller = Poller.create(1, what);
            poller.add(map.fd(), Epoll.IN, 0);
            return new RingBufferReader(what, ring, poller);
        } catch (RuntimeException e) {
            if (poller != null) {
                poller.close();
            }
            ring.close();
            throw e;
        }
    }

    /** The size of the data area in bytes (the map's max entries). */
    public int capacity() {
        return ring.capacity();
    }

    /**
     * Hands every committed record to {@code handler} and waits up to {@code timeout} for one if
     * there is none yet (a negative timeout waits without limit). Returns the number of records
     * handled (discarded ones not counted): 0 when the time ran out or the reader was closed
     * meanwhile. A record is consumed once its handler returns or throws; an exception from the
     * handler stops this poll and propagates.
     *
     * <p>The handler sees the ring's memory without a check: see {@link RecordHandler} for why it
     * must not keep the buffer, or use {@link #poll(Duration, RingRecordHandler)}.
     */
    public int poll(Duration timeout, RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        Deadline deadline = Deadline.after(timeout);
        guard.enterExclusive("read");
        try {
            return poller.awaitWork(deadline, guard, () -> ring.consume(handler, stop));
        } finally {
            guard.exitExclusive();
        }
    }

    /**
     * As {@link #poll(Duration, RecordHandler)}, handing each record as a checked
     * {@link RingRecord} that throws {@link IllegalStateException} when used after its handler
     * returned.
     */
    public int poll(Duration timeout, RingRecordHandler handler) {
        return poll(timeout, scope.wrap(Objects.requireNonNull(handler, "handler")));
    }

    /** Hands every committed record to {@code handler} without waiting; returns how many. */
    public int drain(RecordHandler handler) {
        Objects.requireNonNull(handler, "handler");
        guard.enterExclusive("read");
        try {
            return ring.consume(handler, stop);
        } finally {
            guard.exitExclusive();
        }
    }

    /** As {@link #drain(RecordHandler)}, handing each record as a checked {@link RingRecord}. */
    public int drain(RingRecordHandler handler) {
        return drain(scope.wrap(Objects.requireNonNull(handler, "handler")));
    }

    /** Bytes written by producers and not yet consumed (committed or not, headers included). */
    public long pending() {
        guard.enter();
        try {
            return ring.pending();
        } finally {
            guard.exit();
        }
    }

    /**
     * The records as a blocking stream of copies: each element is a new array holding one record.
     * The stream waits for records and ends when the reader is closed. Convenient, but it
     * allocates per record; use {@link #poll} on a hot path.
     */
    public Stream<byte[]> stream() {
        ArrayDeque<byte[]> queue = new ArrayDeque<>();
        RecordHandler copier = (b, off, len) -> {
            byte[] r = new byte[len];
            b.get(off, r);
            queue.add(r);
        };
        Spliterator<byte[]> split = new Spliterators.AbstractSpliterator<byte[]>(Long.MAX_VALUE,
                Spliterator.ORDERED | Spliterator.NONNULL) {
            @Override
            public boolean tryAdvance(Consumer<? super byte[]> action) {
                while (queue.isEmpty()) {
                    if (guard.isClosed()) {
                        return false;
                    }
                    try {
                        poll(Duration.ofMillis(-1), copier);
                    } catch (ObjectClosedException e) {
                        return false;
                    }
                }
                action.accept(queue.poll());
                return true;
            }
        };
        return StreamSupport.stream(split, false);
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /**
     * Closes the reader: wakes a thread waiting in {@link #poll}, and unmaps the ring and closes the
     * epoll fds once no thread is reading. Idempotent; callable from any thread.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        poller.wake();
        guard.close();
    }

    private void release() {
        poller.close();
        ring.close();
    }

    @Override
    public String toString() {
        return what + (isClosed() ? " (closed)" : "");
    }
}
