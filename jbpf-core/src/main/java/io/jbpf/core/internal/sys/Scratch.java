package io.jbpf.core.internal.sys;

/**
 * Per-thread native buffers for copying keys and values across the bpf() boundary without
 * allocating on every call. Slot 0 and 1 (key, next key / value) grow as needed.
 */
public final class Scratch {
    private static final ThreadLocal<NativeBuffer[]> SLOTS = ThreadLocal.withInitial(() -> new NativeBuffer[] {
        NativeBuffer.allocate(64), NativeBuffer.allocate(256)
    });

    private Scratch() {}

    /** This thread's buffer {@code slot} (0 or 1), at least {@code size} bytes. */
    public static NativeBuffer get(int slot, int size) {
        NativeBuffer[] slots = SLOTS.get();
        NativeBuffer b = slots[slot];
        if (b.size() < size) {
            b = NativeBuffer.allocate(Math.max(size, b.size() * 2));
            slots[slot] = b;
        }
        return b;
    }

    /** Slot {@code slot} holding a copy of {@code bytes}. */
    public static NativeBuffer copy(int slot, byte[] bytes) {
        NativeBuffer b = get(slot, bytes.length);
        b.buffer().put(0, bytes);
        return b;
    }
}
