package io.jbpf.core.map;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A map at the level of bytes: keys and values are byte arrays of the spec's sizes (values of
 * per-CPU maps hold one value per possible CPU, each padded to 8 bytes). Two implementations: a
 * kernel map ({@link KernelMap}) and an in-memory map with the kernel's semantics ({@link MemoryMap}),
 * for the VM and for tests without a kernel.
 */
public interface RawMap extends AutoCloseable {

    /** What this map is. */
    MapSpec spec();

    /**
     * Copies the value of {@code key} into {@code value}; {@code false} when there is none. For a
     * bloom filter ({@code key} null) it asks whether {@code value} may be in the set instead.
     */
    boolean lookup(byte[] key, byte[] value);

    /** Sets {@code key} to {@code value} under {@link MapFlags#ANY}, NOEXIST or EXIST. */
    void update(byte[] key, byte[] value, long flags);

    /**
     * Copies the value of {@code key} into {@code value} and removes the entry, atomically; for
     * queues and stacks ({@code key} null) this pops. {@code false} when there is none. Map types
     * without the operation (arrays, tries, bloom filters, ...) fail with a
     * {@link io.jbpf.core.BpfException} of {@link io.jbpf.core.Errno#ENOTSUPP}, as the kernel does.
     */
    boolean lookupAndDelete(byte[] key, byte[] value);

    /** Removes {@code key}; {@code false} when there was none. */
    boolean delete(byte[] key);

    /** Writes the key after {@code key} (the first key when {@code key} is null) into {@code next}; {@code false} at the end. */
    boolean nextKey(byte[] key, byte[] next);

    /** The size of one value as user space sees it: per-CPU maps hold one 8-aligned slot per possible CPU. */
    int valueBufferSize();

    /**
     * Hands every entry to {@code action}, with arrays of its own for each. Entries written or
     * removed meanwhile may or may not be seen, but none is handed over twice. This default walks the
     * keys first and then looks each one up: when the entry the walk stands on is removed, the
     * kernel starts the walk over from the first key, so keys already seen are skipped, and the walk
     * gives up after four times the map's capacity in steps, so a busy map cannot hold it. A
     * {@link KernelMap} reads in chunks with {@code BPF_MAP_LOOKUP_BATCH} where the kernel has it for
     * the map's type.
     *
     * @return how many entries were handed over
     */
    default int forEachEntry(BiConsumer<byte[], byte[]> action) {
        List<byte[]> keys = new ArrayList<>();
        Set<ByteBuffer> seen = new HashSet<>();
        long budget = 4L * spec().maxEntries() + 16;
        byte[] cur = null;
        byte[] next = new byte[spec().keySize()];
        while (budget-- > 0 && nextKey(cur, next)) {
            if (seen.add(ByteBuffer.wrap(next.clone()))) {
                keys.add(next.clone());
            }
            cur = next.clone();
        }
        int n = 0;
        for (byte[] k : keys) {
            byte[] v = new byte[valueBufferSize()];
            if (lookup(k, v)) {
                action.accept(k, v);
                n++;
            }
        }
        return n;
    }

    @Override
    void close();
}
