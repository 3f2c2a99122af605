package io.jbpf.core.vm.internal;

/**
 * A region whose loads and stores are not plain memory: a program context whose pointer fields
 * ({@code data}, {@code data_end}) the kernel rewrites into real pointers when the program is
 * loaded. Returns {@code false} (or {@link Long#MIN_VALUE} for loads) to refuse an access, which
 * the memory turns into a fault naming the field.
 */
public interface SpecialRegion {

    /** The value of the {@code size}-byte field at {@code offset}, or {@link #REFUSED}. */
    long load(int offset, int size);

    /** Writes the field; {@code false} when the program may not write it. */
    boolean store(int offset, int size, long value);

    /** What a refused load returns. */
    long REFUSED = Long.MIN_VALUE;
}
