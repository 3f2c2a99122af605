package io.jbpf.core.internal.sys;

/**
 * Per-thread native buffers for copying keys and values across the bpf() boundary without
 * allocating on every call: slots 0 and 1 for one key and value (or next key), slots 2 and 3 for
 * the packed keys and values of batch commands. They grow as needed and are never shrunk.
 */
public final class Scratch {
    private static final ThreadLocal<NativeBuffer[]> SLOTS = ThreadLocal.withInitial(() -> new NativeBuffer[] {
        NativeBuffer.allocate(64), NativeBuffer.allocate(256), NativeBuffer.allocate(64), NativeBuffer.allocate(64)
    });

    private Scratch() {}

    /** This thread's buffer {@code slot} (0 to 3), at least {@code size} bytes; its contents are undefined. */
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
        return copy(slot, bytes, bytes.length);
    }

    /** Slot {@code slot} holding a copy of the first {@code length} of {@code bytes}. */
    public static NativeBuffer copy(int slot, byte[] bytes, int length) {
        NativeBuffer b = get(slot, length);
        b.buffer().put(0, bytes, 0, length);
        return b;
    }
}
