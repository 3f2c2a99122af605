package io.jbpf.core.internal.sys;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Native memory as a direct {@link ByteBuffer} (host byte order) together with its address.
 * Memory is freed when the buffer becomes unreachable, as for any direct buffer.
 */
public final class NativeBuffer {
    /** Below this many bytes, {@link #write} and {@link #read} move words; above, the buffer's bulk copy. */
    private static final int WORDWISE_MAX = 64;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final ByteBuffer buffer;
    private final long address;

    private NativeBuffer(ByteBuffer buffer) {
        this.buffer = buffer;
        this.address = Sys.get().address(buffer);
    }

    /** Zeroed native memory of {@code size} bytes, aligned to 8. */
    public static NativeBuffer allocate(int size) {
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(size, 1) + 8).order(ByteOrder.nativeOrder());
        long addr = Sys.get().address(b);
        int pad = (int) ((8 - (addr & 7)) & 7);
        return new NativeBuffer(b.slice(pad, Math.max(size, 1)).order(ByteOrder.nativeOrder()));
    }

    /** A native copy of {@code bytes}. */
    public static NativeBuffer of(byte[] bytes) {
        NativeBuffer n = allocate(bytes.length);
        n.buffer.put(0, bytes);
        return n;
    }

    /** A native NUL-terminated copy of {@code s} in UTF-8. */
    public static NativeBuffer cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        NativeBuffer n = allocate(b.length + 1);
        n.buffer.put(0, b);
        return n;
    }

    /** The buffer; absolute get/put only (its position is not used). */
    public ByteBuffer buffer() {
        return buffer;
    }

    public long address() {
        return address;
    }

    public int size() {
        return buffer.capacity();
    }

    public byte[] toArray(int length) {
        byte[] out = new byte[length];
        buffer.get(0, out);
        return out;
    }

    /**
     * Copies {@code bytes} to the start of this buffer. Keys and values of a few words move a
     * word at a time (a bulk copy of a few bytes costs more than the copy itself).
     */
    public void write(byte[] bytes) {
        int n = bytes.length;
        if (n > WORDWISE_MAX) {
            buffer.put(0, bytes, 0, n);
            return;
        }
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            buffer.putLong(i, (long) LONGS.get(bytes, i));
        }
        if (i + 4 <= n) {
            buffer.putInt(i, (int) INTS.get(bytes, i));
            i += 4;
        }
        for (; i < n; i++) {
            buffer.put(i, bytes[i]);
        }
    }

    /** Copies the start of this buffer into all of {@code bytes}, as {@link #write} copies out. */
    public void read(byte[] bytes) {
        int n = bytes.length;
        if (n > WORDWISE_MAX) {
            buffer.get(0, bytes, 0, n);
            return;
        }
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            LONGS.set(bytes, i, buffer.getLong(i));
        }
        if (i + 4 <= n) {
            INTS.set(bytes, i, buffer.getInt(i));
            i += 4;
        }
        for (; i < n; i++) {
            bytes[i] = buffer.get(i);
        }
    }

    /** Zero the first {@code length} bytes. */
    public void clear(int length) {
        for (int i = 0; i < length; i += 8) {
            if (i + 8 <= length) {
                buffer.putLong(i, 0);
            } else {
                for (int j = i; j < length; j++) {
                    buffer.put(j, (byte) 0);
                }
            }
        }
    }

    /** A NUL-terminated string starting at {@code offset}, at most {@code max} bytes. */
    public String cStringAt(int offset, int max) {
        int end = offset;
        while (end < offset + max && end < buffer.capacity() && buffer.get(end) != 0) {
            end++;
        }
        byte[] b = new byte[end - offset];
        buffer.get(offset, b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
