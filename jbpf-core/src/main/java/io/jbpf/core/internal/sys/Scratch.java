package io.jbpf.core.internal.sys;

/**
 * Per-thread native buffers for copying keys and values across the bpf() boundary without
 * allocating on every call: the scratch slots of this thread's {@link CallFrame} (slots 0 and 1
 * for one key and value or next key, slots 2 and 3 for the packed keys and values of batch
 * commands). They grow as needed and are never shrunk.
 */
public final class Scratch {
    private Scratch() {}

    /** This thread's buffer {@code slot} (0 to 3), at least {@code size} bytes; its contents are undefined. */
    public static NativeBuffer get(int slot, int size) {
        return CallFrame.current().slot(slot, size);
    }

    /** Slot {@code slot} holding a copy of {@code bytes}. */
    public static NativeBuffer copy(int slot, byte[] bytes) {
        return CallFrame.current().copy(slot, bytes);
    }

    /** Slot {@code slot} holding a copy of the first {@code length} of {@code bytes}. */
    public static NativeBuffer copy(int slot, byte[] bytes, int length) {
        NativeBuffer b = get(slot, length);
        b.buffer().put(0, bytes, 0, length);
        return b;
    }
}
