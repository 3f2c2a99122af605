package io.jbpf.maps.ringbuf.internal;

import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.events.Mmap;
import io.jbpf.maps.internal.events.Ordered;
import io.jbpf.maps.ringbuf.RecordHandler;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * One BPF ring buffer mapped for reading (see {@link RingLayout}): the consumer page read-write,
 * the producer page and the twice-mapped data area read-only. Owns both mappings; not
 * thread-safe: its owner lets one thread consume and unmaps only when nobody is inside.
 */
public final class Ring implements AutoCloseable {
    private final Mmap consumerPage;
    private final Mmap producerArea;
    private final ByteBuffer consumer;
    private final ByteBuffer producer;
    private final ByteBuffer data;
    private final long mask;
    private final int size;

    private Ring(Mmap consumerPage, Mmap producerArea, int page, int size) {
        this.consumerPage = consumerPage;
        this.producerArea = producerArea;
        this.size = size;
        this.mask = size - 1L;
        this.consumer = consumerPage.view(0, 8);
        this.producer = producerArea.view(0, 8).asReadOnlyBuffer();
        this.data = producerArea.view(page, 2 * size).asReadOnlyBuffer().order(ByteOrder.nativeOrder());
    }

    /**
     * Maps {@code map}, a {@link MapType#RINGBUF} of at most {@link RingLayout#MAX_SIZE} bytes;
     * {@code what} names the reader in messages.
     *
     * @throws IllegalArgumentException when the map is of another type or too large
     * @throws io.jbpf.core.BpfException when mmap fails
     */
    public static Ring map(KernelMap map, String what) {
        int size = RingLayout.checkedSize(map, MapType.RINGBUF);
        int page = Sys.get().pageSize();
        int fd = map.fd();
        Mmap cons = null;
        Mmap prod = null;
        try {
            cons = Mmap.map(fd, 0, page, Epoll.PROT_READ | Epoll.PROT_WRITE, what + " (consumer page)");
            prod = Mmap.map(fd, page, page + 2L * size, Epoll.PROT_READ, what + " (producer page and data)");
            return new Ring(cons, prod, page, size);
        } catch (RuntimeException e) {
            Mmap.closeAll(prod, cons);
            throw e;
        }
    }

    /** The size of the data area in bytes. */
    public int capacity() {
        return size;
    }

    /** Bytes written by producers and not yet consumed (committed or not, headers included). */
    public long pending() {
        return Ordered.getLongAcquire(producer, 0) - Ordered.getLongAcquire(consumer, 0);
    }

    /**
     * Hands every committed record to {@code handler} in place, skipping discarded ones and
     * stopping at the first one still busy, or as soon as {@code stop} says so. A record is
     * consumed (the consumer position moved past it) once its handler returns or throws. Returns
     * the number of records handed over.
     */
    public int consume(RecordHandler handler, BooleanSupplier stop) {
        int count = 0;
        long cons = Ordered.getLongAcquire(consumer, 0);
        while (!stop.getAsBoolean()) {
            long prod = Ordered.getLongAcquire(producer, 0);
            if (cons >= prod) {
                return count;
            }
            while (cons < prod) {
                int off = (int) (cons & mask);
                int header = Ordered.getIntAcquire(data, off);
                if ((header & RingLayout.BUSY) != 0) {
                    return count;
                }
                int length = header & ~(RingLayout.BUSY | RingLayout.DISCARD);
                try {
                    if ((header & RingLayout.DISCARD) == 0) {
                        count++;
                        handler.onRecord(data, off + RingLayout.HEADER, length);
                    }
                } finally {
                    cons += RingLayout.footprint(length);
                    Ordered.setLongRelease(consumer, 0, cons);
                }
                if (stop.getAsBoolean()) {
                    return count;
                }
            }
        }
        return count;
    }

    /** Unmaps the ring, once. */
    @Override
    public void close() {
        Mmap.closeAll(producerArea, consumerPage);
    }
}
