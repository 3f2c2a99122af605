package io.jbpf.core.vm.internal;

import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The locks of the VM's atomic instructions. The JVM (since 22) has no atomic read-modify-write
 * on a view of a {@code byte[]}, so an atomic add to a map value takes a lock: one of a fixed set
 * of spin locks chosen by the array and the 8-byte word, taken with one compare-and-set and
 * released with a release store (a monitor costs two compare-and-sets). Critical sections are a
 * load, an ALU operation and a store, so spinning is short; a holder that lost its CPU is waited
 * for with {@link Thread#yield()}.
 *
 * <p>The array's part of the choice is {@link #hash}, which depends on the array's identity
 * only, so every machine that reaches one array (a map value shared by threads) takes the same
 * lock for the same word; {@link Memory} keeps it per region, so it is computed once per run.
 */
final class AtomicStripes {
    private static final int STRIPES = 64;
    /** One lock word per 64 bytes, so that two stripes never share a cache line. */
    private static final int SPREAD = 16;
    private static final AtomicIntegerArray LOCKS = new AtomicIntegerArray(STRIPES * SPREAD);

    private AtomicStripes() {}

    /** The array's part of the lock choice; never 0, so 0 can mean "not computed yet". */
    static int hash(byte[] d) {
        return System.identityHashCode(d) * 0x9e3779b9 | 1;
    }

    /** Takes the lock of the word at {@code off} of the array whose {@link #hash} is {@code hash}; returns what {@link #unlock} takes. */
    static int lock(int hash, int off) {
        int h = hash + (off >>> 3);
        int slot = ((h ^ (h >>> 16)) & (STRIPES - 1)) * SPREAD;
        if (LOCKS.weakCompareAndSetAcquire(slot, 0, 1)) {
            return slot;
        }
        return contended(slot);
    }

    private static int contended(int slot) {
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
