package io.jbpf.maps.ringbuf;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.events.Deadline;
import io.jbpf.maps.internal.events.Guard;
import io.jbpf.maps.internal.events.Mmap;
import io.jbpf.maps.internal.events.Ordered;
import io.jbpf.maps.internal.events.Poller;
import io.jbpf.maps.ringbuf.internal.RingLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes records from Java into a user ring buffer ({@code BPF_MAP_TYPE_USER_RINGBUF}, Linux
 * 6.1) for a BPF program to consume with {@code bpf_user_ringbuf_drain}.
 *
 * <p>Java is the producer: a record is {@linkplain #tryReserve reserved} in the shared ring
 * (marked busy, so the kernel stops before it), written in place, then
 * {@linkplain Reservation#submit submitted} or {@linkplain Reservation#discard discarded}. The
 * kernel consumes records in order and never past one still reserved. {@link #offer} does all three
 * with a copy. When the ring is full, the blocking forms wait on epoll until the kernel has drained
 * space (the kernel signals user-space waiters after a drain unless the program passes
 * {@code BPF_RB_NO_WAKEUP}).
 *
 * <p><b>Threads.</b> Any thread may reserve and submit; reservations are serialized. {@link #close()}
 * may be called from any thread and wakes a thread waiting for space (which then throws
 * {@link ObjectClosedException}). The mapping stays until every outstanding reservation is
 * submitted or discarded. A reservation's buffer must not be used after submit or discard. The
 * writer does not own the map.
 *
 * <p><b>Forgotten without close.</b> Once unreachable, its mappings are unmapped and its fds
 * closed by a {@link java.lang.ref.Cleaner}, with a warning logged; until then it holds the map
 * alive in the kernel. Close it.
 */
public final class UserRingBufferWriter implements AutoCloseable {
    private static final long BACKOFF_NS = 200_000;

    private final String what;
    private final Mmap consumerPage;
    private final Mmap producerArea;
    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private final ByteBuffer data;
    private final long mask;
    private final int size;
    private final Poller poller;
    private final Guard guard;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object reserveLock = new Object();

    private UserRingBufferWriter(String what, Mmap consumerPage, Mmap producerArea, int page, int size, Poller poller) {
        this.what = what;
        this.consumerPage = consumerPage;
        this.producerArea = producerArea;
        this.size = size;
        this.mask = size - 1L;
        this.consumer = consumerPage.view(0, 8).asReadOnlyBuffer();
        this.producer = producerArea.view(0, 8);
        this.data = producerArea.view(page, 2 * size);
        this.poller = poller;
        this.guard = new Guard(what, this::release);
    }

    /**
     * Opens a writer on {@code map}, a {@link MapType#USER_RINGBUF} of at most 512 MiB.
     *
     * @throws IllegalArgumentException when the map is of another type or too large
     * @throws io.jbpf.core.BpfException when mmap or epoll fails
     */
    public static UserRingBufferWriter open(KernelMap map) {
        int size = RingLayout.checkedSize(map, MapType.USER_RINGBUF);
        String what = "user ring buffer writer of map '" + map.spec().name() + "'";
        int page = Sys.get().pageSize();
        int fd = map.fd();
        Mmap cons = null;
        Mmap prod = null;
        Poller poller = null;
        try {
            // the kernel refuses a writable mapping of the consumer page of a user ring buffer
            cons = Mmap.map(fd, 0, page, Epoll.PROT_READ, what + " (consumer page)");
            prod = Mmap.map(fd, page, page + 2L * size, Epoll.PROT_READ | Epoll.PROT_WRITE,
                    what + " (producer page and data)");
            poller = Poller.create(1, what);
            poller.add(fd, Epoll.OUT, 0);
            return new UserRingBufferWriter(what, cons, prod, page, size, poller);
        } catch (RuntimeException e) {
            if (poller != null) {
                poller.close();
            }
            Mmap.closeAll(prod, cons);
            throw e;
        }
    }

    /** The size of the data area in bytes. */
    public int capacity() {
        return size;
    }

    /** The largest record that fits an empty ring. */
    public int maxRecordSize() {
        return size - RingLayout.HEADER;
    }

    /** Bytes reserved or submitted and not yet consumed by the kernel (headers included). */
    public long pending() {
        guard.enter();
        try {
            return Ordered.getLongAcquire(producer, 0) - Ordered.getLongAcquire(consumer, 0);
        } finally {
            guard.exit();
        }
    }

    /**
     * Reserves {@code length} bytes, or returns null when the ring has no room now.
     *
     * @throws IllegalArgumentException when the record can never fit
     * @throws ObjectClosedException after {@link #close()}
     */
    public Reservation tryReserve(int length) {
        if (length < 0 || RingLayout.footprint(length) > size) {
            throw new IllegalArgumentException(what + ": a record of " + length + " bytes does not fit a ring of "
                    + size + " bytes (at most " + maxRecordSize() + ")");
        }
        guard.enter();
        boolean reserved = false;
        try {
            synchronized (reserveLock) {
                long cons = Ordered.getLongAcquire(consumer, 0);
                long prod = Ordered.getLongAcquire(producer, 0);
                long total = RingLayout.footprint(length);
                if (size - (prod - cons) < total) {
                    return null;
                }
                int off = (int) (prod & mask);
                data.putInt(off, length | RingLayout.BUSY);
                data.putInt(off + 4, 0);
                Ordered.setLongRelease(producer, 0, prod + total);
                reserved = true;
                return new Reservation(off, length);
            }
        } finally {
            if (!reserved) {
                guard.exit();
            }
        }
    }

    /**
     * Reserves {@code length} bytes, waiting up to {@code timeout} for the kernel to drain room (a
     * negative timeout waits without limit). Returns null when the time ran out.
     *
     * @throws ObjectClosedException when the writer is or gets closed
     */
    public Reservation reserve(int length, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        while (true) {
            Reservation r = tryReserve(length);
            if (r != null) {
                return r;
            }
            long left = deadline.leftNanos();
            if (left <= 0) {
                return null;
            }
            int ms = deadline.epollMillis();
            guard.enter();
            try {
                if (poller.await(ms) > 0 && !guard.isClosed()) {
                    // the ring is writable as soon as it is not completely full, which may still be
                    // too little for this record: back off briefly instead of spinning
                    LockSupport.parkNanos(Math.min(BACKOFF_NS, left));
                }
            } finally {
                guard.exit();
            }
        }
    }

    /** Copies {@code record} into the ring and submits it; false when there is no room now. */
    public boolean offer(byte[] record) {
        Reservation r = tryReserve(record.length);
        if (r == null) {
            return false;
        }
        r.buffer().put(0, record);
        r.submit();
        return true;
    }

    /** Copies {@code record}, waiting up to {@code timeout} for room; false when the time ran out. */
    public boolean offer(byte[] record, Duration timeout) {
        Reservation r = reserve(record.length, timeout);
        if (r == null) {
            return false;
        }
        r.buffer().put(0, record);
        r.submit();
        return true;
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return guard.isClosed();
    }

    /** Closes the writer; idempotent, from any thread. Outstanding reservations may still be submitted. */
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
        Mmap.closeAll(producerArea, consumerPage);
    }

    @Override
    public String toString() {
        return what + (isClosed() ? " (closed)" : "");
    }

    /**
     * A record reserved in the ring: write it through {@link #buffer()}, then {@link #submit()} or
     * {@link #discard()} exactly once.
     */
    public final class Reservation {
        private final int offset;
        private final int length;
        private final ByteBuffer buffer;
        private final AtomicBoolean done = new AtomicBoolean();

        private Reservation(int offset, int length) {
            this.offset = offset;
            this.length = length;
            this.buffer = data.slice(offset + RingLayout.HEADER, length).order(ByteOrder.nativeOrder());
        }

        /** The record's bytes in the ring (host byte order, index 0 is the record's start). */
        public ByteBuffer buffer() {
            return buffer;
        }

        /** The record's length in bytes. */
        public int length() {
            return length;
        }

        /** Hands the record to the kernel. */
        public void submit() {
            commit(0);
        }

        /** Gives the space back: the kernel skips the record. */
        public void discard() {
            commit(RingLayout.DISCARD);
        }

        private void commit(int bits) {
            if (!done.compareAndSet(false, true)) {
                throw new IllegalStateException("this reservation was already submitted or discarded");
            }
            Ordered.setIntRelease(data, offset, length | bits);
            guard.exit();
        }
    }
}
