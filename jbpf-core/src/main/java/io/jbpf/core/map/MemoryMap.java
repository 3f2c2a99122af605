package io.jbpf.core.map;

import io.jbpf.core.BpfException;

/**
 * A map in the JVM's heap with the kernel's semantics: for the in-JVM VM ({@code io.jbpf.core.vm})
 * and for tests without a kernel. Makes no system call.
 *
 * <h2>Two sides</h2>
 * <ul>
 *   <li><b>User side</b> — the {@link RawMap} methods behave as {@link KernelMap}'s do for the same
 *       spec: same return values, a {@link BpfException} with the same {@link io.jbpf.core.Errno}
 *       and {@link io.jbpf.core.BpfCommand} for the same misuse (EEXIST, ENOENT, E2BIG, EINVAL,
 *       EPERM for {@link MapFlags#RDONLY}/{@link MapFlags#WRONLY} or after {@link #freeze()}), and
 *       an {@link IllegalArgumentException} for a key or value of the wrong size. Per-CPU values are
 *       laid out as the kernel's: one slot per CPU of {@link #cpus()}, each padded to 8 bytes.</li>
 *   <li><b>Program side</b> — the {@code …ForProgram}, {@link #push}, {@link #pop}, {@link #peek} and
 *       {@code target} methods, as BPF helpers see the map: no exceptions for runtime conditions,
 *       results are 0 or a negative errno. An operation the map type does not have (which the
 *       verifier would refuse) returns {@code -EOPNOTSUPP} unless the kernel's map returns another
 *       errno for it. Writes (update, delete, push, pop) to a map created with
 *       {@link MapFlags#RDONLY_PROG} return {@code -EACCES}, the error the verifier refuses such a
 *       program with. {@link MapFlags#WRONLY_PROG} cannot be enforced on the arrays
 *       {@link #lookupForProgram} hands out: refusing reads through them is the VM's verifier's job.
 *       Misuse by the caller (a key of the wrong size, a CPU outside {@code [0, cpus())}) throws
 *       {@link IllegalArgumentException}.</li>
 * </ul>
 *
 * <p>Creation checks the spec as the kernel's {@code BPF_MAP_CREATE} does and throws a
 * {@link BpfException} of {@link io.jbpf.core.BpfCommand#MAP_CREATE} with the kernel's errno
 * (EINVAL for a zero size or an unknown flag, ENOTSUPP for an LRU map with
 * {@link MapFlags#NO_PREALLOC}, EBADF for a map of maps without {@link MapSpec#innerMap()}, …);
 * ring buffer capacities that are not a power of two and a page multiple throw
 * {@link IllegalArgumentException}. Types not listed below throw {@link UnsupportedOperationException}
 * naming the type.
 *
 * <h2>Types</h2>
 * HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH (strict least-recently-used eviction when a new key
 * does not fit; program lookups and updates count as use, user lookups do not, as in the kernel;
 * {@link MapFlags#NO_COMMON_LRU} rounds the capacity up to a multiple of the CPUs as the kernel
 * does), ARRAY, PERCPU_ARRAY, LPM_TRIE (needs {@link MapFlags#NO_PREALLOC}; lookups find the
 * longest prefix, also from user space, and a prefix longer than the data matches nothing; a full
 * trie says ENOSPC), QUEUE, STACK, BLOOM_FILTER,
 * RINGBUF ({@link MemoryRingBuffer}), PROG_ARRAY, ARRAY_OF_MAPS, HASH_OF_MAPS (their slots hold
 * objects: see {@link #setTarget(int, Object)}).
 *
 * <p>Thread-safe: every operation holds the map's lock. Arrays returned by {@link #lookupForProgram}
 * are the live storage and may be written without it, as programs write map values in the kernel.
 * {@link #close()} only makes further user-side calls fail with
 * {@link io.jbpf.core.ObjectClosedException}; program-side calls keep working, as a loaded program
 * keeps its maps alive in the kernel.
 */
public interface MemoryMap extends RawMap {

    /** The map {@code spec} describes, with one per-CPU slot per possible CPU of this machine. */
    static MemoryMap create(MapSpec spec) {
        return create(spec, MemoryMapBase.possibleCpus());
    }

    /**
     * The map {@code spec} describes; per-CPU maps get {@code cpus} slots.
     *
     * @throws BpfException with {@link io.jbpf.core.BpfCommand#MAP_CREATE} for a spec the kernel refuses
     * @throws UnsupportedOperationException for a map type that has no in-memory implementation
     * @throws IllegalArgumentException for {@code cpus < 1}, or a ring buffer size that is not a
     *         power of two and a multiple of the page size
     */
    static MemoryMap create(MapSpec spec, int cpus) {
        return MemoryMapBase.create(spec, cpus);
    }

    /** The number of CPUs per-CPU values have slots for. */
    int cpus();

    /** A number unique among the in-memory maps of this JVM, as a kernel map's id is among the kernel's (starting at 1). */
    int id();

    // ---- program side ----

    /**
     * The value of {@code key} as {@code bpf_map_lookup_elem} returns it: the live storage array
     * (writes through it change the map), or {@code null} when there is none. Per-CPU maps give the
     * slot of {@code cpu}; LRU maps mark the entry used; an LPM trie finds the longest matching
     * prefix; arrays check the index. Queues, stacks, bloom filters, ring buffers and the maps of
     * {@link #target(int) targets} have no such values and give {@code null}.
     */
    byte[] lookupForProgram(byte[] key, int cpu);

    /**
     * {@link #lookupForProgram(byte[], int)} of the key that lies at
     * {@code memory[offset, offset + keySize)}, read in place: the VM looks keys up in its memory
     * without copying them out first. Same result as the lookup of a copy of those bytes.
     *
     * @throws IndexOutOfBoundsException when the key does not lie inside {@code memory}
     */
    default byte[] lookupForProgram(byte[] memory, int offset, int cpu) {
        java.util.Objects.checkFromIndexSize(offset, spec().keySize(), memory.length);
        return lookupForProgram(java.util.Arrays.copyOfRange(memory, offset, offset + spec().keySize()), cpu);
    }

    /**
     * {@code bpf_map_update_elem}: 0, or {@code -EEXIST}, {@code -ENOENT}, {@code -E2BIG} (full,
     * or an array index out of range), {@code -ENOSPC} (full LPM trie), {@code -EINVAL} (bad flags,
     * prefix too long), {@code -EACCES} ({@link MapFlags#RDONLY_PROG}). Per-CPU maps set only the
     * slot of {@code cpu}; a new element gets zeros in the other slots. {@code value} is one
     * value of the spec's value size.
     */
    int updateFromProgram(byte[] key, byte[] value, long flags, int cpu);

    /**
     * {@link #updateFromProgram(byte[], byte[], long, int)} of the key at
     * {@code keyMemory[keyOffset, keyOffset + keySize)} and the value at
     * {@code valueMemory[valueOffset, valueOffset + valueSize)}, read in place: the VM updates
     * from its memory without copying key and value out first. Same result as the update from
     * copies of those bytes.
     *
     * @throws IndexOutOfBoundsException when the key or the value does not lie inside its array
     */
    default int updateFromProgram(byte[] keyMemory, int keyOffset, byte[] valueMemory, int valueOffset, long flags,
            int cpu) {
        java.util.Objects.checkFromIndexSize(keyOffset, spec().keySize(), keyMemory.length);
        java.util.Objects.checkFromIndexSize(valueOffset, spec().valueSize(), valueMemory.length);
        return updateFromProgram(java.util.Arrays.copyOfRange(keyMemory, keyOffset, keyOffset + spec().keySize()),
                java.util.Arrays.copyOfRange(valueMemory, valueOffset, valueOffset + spec().valueSize()), flags, cpu);
    }

    /** {@code bpf_map_delete_elem}: 0, or {@code -ENOENT}, {@code -EINVAL} (arrays, queues, stacks), {@code -EACCES}. */
    int deleteFromProgram(byte[] key);

    /**
     * {@code bpf_map_push_elem}: queues and stacks add {@code value} (0, {@code -E2BIG} when full,
     * or with {@link MapFlags#EXIST} the oldest value is dropped to make room, as the kernel does;
     * {@code -EINVAL} for other flags); bloom filters add it (flags must be {@link MapFlags#ANY}).
     */
    int push(byte[] value, long flags);

    /** {@code bpf_map_pop_elem}: queues and stacks copy the next value into {@code into} and remove it; 0 or {@code -ENOENT}. */
    int pop(byte[] into);

    /**
     * {@code bpf_map_peek_elem}: queues and stacks copy the next value into {@code into} (0 or
     * {@code -ENOENT}); a bloom filter tests whether {@code into} may be in the set (0), or
     * certainly is not ({@code -ENOENT}).
     */
    int peek(byte[] into);

    /**
     * PROG_ARRAY and ARRAY_OF_MAPS (and a HASH_OF_MAPS with 4-byte keys, {@code index} in native
     * byte order): what slot {@code index} holds (a program handle, an inner {@link MemoryMap}),
     * or {@code null} when empty or out of range.
     *
     * @throws UnsupportedOperationException for other map types
     */
    Object target(int index);

    /** HASH_OF_MAPS (and the arrays, with a 4-byte native-order key): what {@code key} holds, or {@code null}. */
    Object target(byte[] key);

    // ---- targets: user side ----

    /**
     * Puts {@code target} in slot {@code index}: the user-side update of a PROG_ARRAY (any
     * non-null program handle the VM understands) or ARRAY_OF_MAPS (a {@link MemoryMap} matching
     * the spec's {@link MapSpec#innerMap() inner map}: same type, key and value sizes, flags, and
     * capacity unless the template has {@link MapFlags#INNER_MAP}). The user-side
     * {@link #update} of these maps takes file descriptors, which an in-memory map has not: it
     * throws {@link UnsupportedOperationException} pointing here.
     *
     * @throws BpfException E2BIG for an index out of range or a full hash of maps, EINVAL for an
     *         inner map that does not match, EPERM for a read-only or frozen map
     */
    void setTarget(int index, Object target);

    /** As {@link #setTarget(int, Object)}, by key (HASH_OF_MAPS, or an array with a 4-byte key). */
    void setTarget(byte[] key, Object target);

    /** Empties slot {@code index}; {@code false} when it was empty. Same errors as {@link #setTarget(int, Object)}. */
    boolean clearTarget(int index);

    /** Empties the slot of {@code key}; {@code false} when it was empty. */
    boolean clearTarget(byte[] key);

    // ---- user side extras ----

    /**
     * Makes the map read-only for user space from now on ({@code BPF_MAP_FREEZE}): user-side
     * writes fail with EPERM; programs may still write.
     *
     * @throws BpfException EPERM when already frozen or {@link MapFlags#RDONLY} (the kernel's
     *         permission check comes before its EBUSY)
     */
    void freeze();

    /** Whether {@link #freeze()} was called. */
    boolean frozen();
}
