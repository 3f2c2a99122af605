package io.jbpf.core.map;

import java.util.List;

/**
 * An in-memory {@code BPF_MAP_TYPE_RINGBUF} with the kernel's accounting: each record takes an
 * 8-byte header plus its length rounded up to 8, the capacity is {@code max_entries} bytes (a power
 * of two and a multiple of the page size), and the producer may run at most {@code capacity - 1}
 * bytes ahead of the consumer, so the records in use never fill the last 8 bytes. The user-side
 * element operations fail with ENOTSUPP as the kernel's do.
 */
public interface MemoryRingBuffer extends MemoryMap {

    /**
     * A ring buffer of {@code capacity} bytes named {@code name} (the spec
     * {@code MapSpec.of(name, RINGBUF, 0, 0, capacity)} given to {@link MemoryMap#create(MapSpec)}).
     *
     * @throws IllegalArgumentException unless {@code capacity} is a power of two and a multiple of 4096
     */
    static MemoryRingBuffer create(String name, int capacity) {
        return (MemoryRingBuffer) MemoryMap.create(MapSpec.of(name, MapType.RINGBUF, 0, 0, capacity));
    }

    /**
     * {@code bpf_ringbuf_reserve}: a fresh array of {@code size} bytes for the program to write the
     * record into, or {@code null} when there is no room (which counts a drop).
     *
     * @throws IllegalArgumentException for a negative size
     */
    byte[] reserve(int size);

    /**
     * {@code bpf_ringbuf_submit}: commits a record from {@link #reserve}.
     *
     * @throws IllegalStateException when {@code record} is not a reserved, not yet submitted or discarded record
     */
    void submit(byte[] record);

    /** {@code bpf_ringbuf_discard}: drops a record from {@link #reserve}; same checks as {@link #submit}. */
    void discard(byte[] record);

    /** {@code bpf_ringbuf_output}: reserves, copies {@code data} and submits; 0, or {@code -EAGAIN} when full (a drop). */
    int output(byte[] data);

    /**
     * Consumes the committed records, in reserve order, and frees their space: as the kernel's
     * consumer, it stops at the first record still reserved (later records wait for it), and skips
     * discarded ones. The arrays are the ones {@link #reserve} handed out.
     */
    List<byte[]> drain();

    /** How many reservations and outputs failed for lack of room. */
    long dropped();

    /** Bytes in use (headers and padding included): what the producer is ahead of the consumer. */
    int available();
}
