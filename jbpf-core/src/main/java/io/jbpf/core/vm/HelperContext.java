package io.jbpf.core.vm;

import io.jbpf.core.map.MemoryMap;

/**
 * What a helper may do with the run that called it: read and write the program's memory (checked
 * like the program's own accesses), resolve map arguments, and use the VM's clock, CPU id,
 * random numbers and trace output.
 */
public interface HelperContext {

    /** Copies {@code length} bytes from the program's memory. */
    byte[] read(long address, int length);

    /** Copies {@code bytes} into the program's memory. */
    void write(long address, byte[] bytes);

    /** Loads 1, 2, 4 or 8 bytes, zero-extended. */
    long load(long address, int size);

    /** Stores the low 1, 2, 4 or 8 bytes of {@code value}. */
    void store(long address, int size, long value);

    /** The map that a map argument ({@code r1} of the map helpers) refers to. */
    MemoryMap map(long handle);

    /** A pointer the program may use to reach {@code storage} (a map value, a record). */
    long pointerTo(byte[] storage, String what);

    /** The CPU the program runs on. */
    int cpu();

    /** The VM clock, in nanoseconds. */
    long nanos();

    /** The next pseudo-random 32-bit number of the VM's seeded generator. */
    int random32();

    /** Adds a line to the run's trace output. */
    void trace(String line);

    /** The index of the instruction that called the helper. */
    int insnIndex();

    /**
     * Stops the program once the helper returns: the run ends at once, as if the program had
     * exited with {@code r0}, whatever call frames it had open. For helpers that end a run early
     * (such as the "unwind" helper of ISA conformance runners).
     */
    void stop(long r0);
}
