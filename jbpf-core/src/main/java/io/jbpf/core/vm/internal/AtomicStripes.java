package io.jbpf.core.vm.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The locks of the VM's atomic instructions. The JVM (since 22) has no atomic read-modify-write
 * on a view of a {@code byte[]}, so an atomic add to a map value takes a lock: one of a fixed set
 * of spin locks chosen by the array and the 8-byte word, taken with one compare-and-set and
 * released with a release store (a monitor costs two compare-and-sets). Critical sections are a
 * load, an ALU operation and a store, so spinning is short; a holder that lost its CPU is waited
 * for with {@link Thread#yield()}.
 */
final class AtomicStripes {
    private static final int STRIPES = 64;
    /** One lock word per 64 bytes, so that two stripes never share a cache line. */
    private static final int SPREAD = 16;
    private static final AtomicIntegerArray LOCKS = new AtomicIntegerArray(STRIPES * SPREAD);

    private AtomicStripes() {}

    /** Takes the lock of the word at {@code off} of {@code d}; returns what {@link #unlock} takes. */
    static int lock(byte[] d, int off) {
        int h = System.identityHashCode(d) * 0x9e3779b9 + (off >>> 3);
        int slot = ((h ^ (h >>> 16)) & (STRIPES - 1)) * SPREAD;
        int spins = 0;
        while (!LOCKS.weakCompareAndSetAcquire(slot, 0, 1)) {
            if (++spins < 64) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return slot;
    }

    static void unlock(int slot) {
        LOCKS.setRelease(slot, 0);
    }
}
