package io.jbpf.core.map;

import io.jbpf.core.Errno;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** RINGBUF: see {@link MemoryRingBuffer}. */
final class MemoryRingBufferMap extends MemoryMapBase implements MemoryRingBuffer {
    /** {@code BPF_RINGBUF_HDR_SZ}. */
    static final int HEADER = 8;
    /** The page size the kernel requires the capacity to be a multiple of (x86-64; arm64 with 4K pages). */
    static final int PAGE = 4096;

    private enum State { BUSY, COMMITTED, DISCARDED }

    private static final class Record {
        final byte[] data;
        final int length;
        State state = State.BUSY;

        Record(byte[] data, int length) {
            this.data = data;
            this.length = length;
        }
    }

    private final long capacity;
    /** Records not yet consumed, in reserve order. */
    private final ArrayDeque<Record> records = new ArrayDeque<>();
    private long producer;
    private long consumer;
    private long dropped;

    MemoryRingBufferMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        int size = spec.maxEntries();
        if (size <= 0 || Integer.bitCount(size) != 1 || size % PAGE != 0) {
            throw new IllegalArgumentException("ring buffer '" + spec.name() + "': max entries " + size
                    + " must be a power of two and a multiple of the page size (" + PAGE + ")");
        }
        allowFlags(spec, MapFlags.NUMA_NODE | ACCESS_MASK);
        require(spec, spec.keySize() == 0 && spec.valueSize() == 0, Errno.EINVAL, "ring buffers have no keys or values");
        this.capacity = size;
    }

    @Override
    public synchronized byte[] reserve(int size) {
        if (size < 0) {
            throw new IllegalArgumentException("ring buffer '" + spec.name() + "': record size " + size);
        }
        long len = ((long) size + HEADER + 7) & ~7L;
        // the producer may run at most capacity - 1 bytes ahead of the consumer
        if (len > capacity || producer + len - consumer > capacity - 1) {
            dropped++;
            return null;
        }
        Record r = new Record(new byte[size], (int) len);
        records.addLast(r);
        producer += len;
        return r.data;
    }

    private Record busy(byte[] record, String op) {
        for (Record r : records) {
            if (r.data == record) {
                if (r.state != State.BUSY) {
                    break;
                }
                return r;
            }
        }
        throw new IllegalStateException("ring buffer '" + spec.name() + "': " + op
                + " of a record that is not reserved, or already submitted or discarded");
    }

    @Override
    public synchronized void submit(byte[] record) {
        busy(record, "submit").state = State.COMMITTED;
    }

    @Override
    public synchronized void discard(byte[] record) {
        busy(record, "discard").state = State.DISCARDED;
    }

    @Override
    public synchronized int output(byte[] data) {
        byte[] r = reserve(data.length);
        if (r == null) {
            return EAGAIN;
        }
        System.arraycopy(data, 0, r, 0, data.length);
        submit(r);
        return 0;
    }

    @Override
    public synchronized List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>();
        while (!records.isEmpty() && records.peekFirst().state != State.BUSY) {
            Record r = records.pollFirst();
            if (r.state == State.COMMITTED) {
                out.add(r.data);
            }
            consumer += r.length;
        }
        return out;
    }

    @Override
    public synchronized long dropped() {
        return dropped;
    }

    @Override
    public synchronized int available() {
        return (int) (producer - consumer);
    }

    // the kernel's ring buffer has no element operations: they fail with ENOTSUPP

    @Override
    int doLookup(byte[] key, byte[] value) {
        return ENOTSUPP;
    }

    @Override
    int doUpdate(byte[] key, byte[] value, long flags) {
        return ENOTSUPP;
    }

    @Override
    int doDelete(byte[] key) {
        return ENOTSUPP;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        return ENOTSUPP;
    }
}
