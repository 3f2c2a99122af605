package io.jbpf.core.internal.sys;

/**
 * A thread's native memory for bpf() calls, found with one thread-local lookup: the
 * {@code union bpf_attr} buffer, four scratch slots for keys and values (slots 0 and 1 for one
 * key and value or next key, 2 and 3 for the packed keys and values of batch commands), and the
 * syscall backend's own per-thread state. Slots grow as needed and are never shrunk; their
 * contents are undefined between calls. Not reentrant: no call fills the frame while another
 * call on the same thread is filling it.
 */
public final class CallFrame {
    private static final ThreadLocal<CallFrame> CURRENT = ThreadLocal.withInitial(CallFrame::new);

    private final NativeBuffer attr = NativeBuffer.allocate(Bpf.ATTR_CAPACITY);
    private final NativeBuffer[] slots = {
        NativeBuffer.allocate(64), NativeBuffer.allocate(256), NativeBuffer.allocate(64), NativeBuffer.allocate(64)
    };

    /** What the syscall backend keeps per thread (FFM: the segment errno is captured into), or null. */
    Object backendState;

    private CallFrame() {}

    /** This thread's frame. */
    public static CallFrame current() {
        return CURRENT.get();
    }

    /** The attr buffer, zeroed over {@code size} bytes. */
    public NativeBuffer attr(int size) {
        attr.clear(size);
        return attr;
    }

    /** The attr buffer as it is, for callers that write every byte of the attr they pass. */
    public NativeBuffer attrUncleared() {
        return attr;
    }

    /** Slot {@code slot} (0 to 3), at least {@code size} bytes. */
    public NativeBuffer slot(int slot, int size) {
        NativeBuffer b = slots[slot];
        if (b.size() < size) {
            b = NativeBuffer.allocate(Math.max(size, b.size() * 2));
            slots[slot] = b;
        }
        return b;
    }

    /** Slot {@code slot} holding a copy of {@code bytes}. */
    public NativeBuffer copy(int slot, byte[] bytes) {
        NativeBuffer b = slot(slot, bytes.length);
        b.write(bytes);
        return b;
    }
}
