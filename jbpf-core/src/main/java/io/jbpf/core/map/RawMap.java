package io.jbpf.core.map;

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

    @Override
    void close();
}
