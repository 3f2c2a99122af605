package io.jbpf.maps.internal.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Acquire loads and release stores on shared memory seen through a direct buffer, for the
 * positions a kernel producer and a user-space consumer (or the reverse) hand to each other.
 * Offsets must be aligned to the access size.
 */
public final class Ordered {
    private static final VarHandle LONG = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private Ordered() {}

    /** {@code smp_load_acquire} of a u64. */
    public static long getLongAcquire(ByteBuffer b, int offset) {
        return (long) LONG.getAcquire(b, offset);
    }

    /** {@code smp_store_release} of a u64. */
    public static void setLongRelease(ByteBuffer b, int offset, long value) {
        LONG.setRelease(b, offset, value);
    }

    /** {@code smp_load_acquire} of a u32. */
    public static int getIntAcquire(ByteBuffer b, int offset) {
        return (int) INT.getAcquire(b, offset);
    }

    /** {@code smp_store_release} of a u32. */
    public static void setIntRelease(ByteBuffer b, int offset, int value) {
        INT.setRelease(b, offset, value);
    }
}
