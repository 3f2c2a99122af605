package io.jbpf.maps;

import io.jbpf.core.JbpfException;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapType;
import io.jbpf.maps.internal.events.Guard;
import io.jbpf.maps.internal.events.Mmap;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The memory of an {@code ARRAY} map created with {@link MapFlags#MMAPABLE}, mapped into this
 * process: reads and writes go straight to the memory programs use, with no system call. Element
 * {@code i} starts at {@code i × stride} ({@link #stride()}: the value size rounded up to 8, as the
 * kernel lays array elements out). Access is bounds-checked and fails with
 * {@link io.jbpf.core.ObjectClosedException} after {@link #close()}; the mapping is released once
 * no thread is inside an access. The map itself stays open and owned by its owner.
 */
public final class MappedArray implements AutoCloseable {
    private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

    private final Mmap mapping;
    private final ByteBuffer memory;
    private final Guard guard;
    private final int stride;
    private final int length;
    private final int valueSize;

    private MappedArray(Mmap mapping, ByteBuffer memory, String what, int stride, int length, int valueSize) {
        this.mapping = mapping;
        this.memory = memory;
        this.guard = new Guard(what, mapping::close);
        this.stride = stride;
        this.length = length;
        this.valueSize = valueSize;
    }

    /** Maps the memory of {@code map}, which must be an ARRAY created with {@link MapFlags#MMAPABLE}. */
    public static MappedArray of(KernelMap map) {
        var spec = map.spec();
        if (spec.type() != MapType.ARRAY || (spec.flags() & MapFlags.MMAPABLE) == 0) {
            throw new JbpfException("map '" + spec.name() + "' is a " + spec.type() + " with flags 0x"
                    + Integer.toHexString(spec.flags()) + ": only ARRAY maps created with MMAPABLE can be mapped");
        }
        int stride = (spec.valueSize() + 7) & ~7;
        long bytes = (long) stride * spec.maxEntries();
        long page = Sys.get().pageSize();
        long mapped = (bytes + page - 1) / page * page;
        if (mapped > Integer.MAX_VALUE) {
            throw new JbpfException("map '" + spec.name() + "' is " + bytes + " bytes, more than one buffer can view");
        }
        String what = "memory of map '" + spec.name() + "'";
        Mmap m = Mmap.map(map.fd(), 0, mapped, Epoll.PROT_READ | Epoll.PROT_WRITE, what);
        return new MappedArray(m, m.view(0, (int) mapped).order(ByteOrder.nativeOrder()), what, stride,
                spec.maxEntries(), spec.valueSize());
    }

    /** Bytes from one element to the next. */
    public int stride() {
        return stride;
    }

    /** The number of elements. */
    public int length() {
        return length;
    }

    private int at(int index, int offset, int width) {
        if (index < 0 || index >= length || offset < 0 || offset + width > valueSize) {
            throw new IndexOutOfBoundsException("element " + index + " bytes [" + offset + ", " + (offset + width)
                    + ") of an array of " + length + " elements of " + valueSize + " bytes");
        }
        return index * stride + offset;
    }

    public long getLong(int index, int offset) {
        int p = at(index, offset, 8);
        guard.enter();
        try {
            return memory.getLong(p);
        } finally {
            guard.exit();
        }
    }

    public void putLong(int index, int offset, long value) {
        int p = at(index, offset, 8);
        guard.enter();
        try {
            memory.putLong(p, value);
        } finally {
            guard.exit();
        }
    }

    /** Adds {@code delta} atomically (as a program's {@code lock *(u64 *) += } does) and returns the new value. */
    public long addAndGetLong(int index, int offset, long delta) {
        int p = at(index, offset, 8);
        if ((p & 7) != 0) {
            throw new IllegalArgumentException("atomic access needs an 8-byte aligned offset, not " + offset);
        }
        guard.enter();
        try {
            return (long) LONGS.getAndAdd(memory, p, delta) + delta;
        } finally {
            guard.exit();
        }
    }

    public int getInt(int index, int offset) {
        int p = at(index, offset, 4);
        guard.enter();
        try {
            return memory.getInt(p);
        } finally {
            guard.exit();
        }
    }

    public void putInt(int index, int offset, int value) {
        int p = at(index, offset, 4);
        guard.enter();
        try {
            memory.putInt(p, value);
        } finally {
            guard.exit();
        }
    }

    /** Copies element {@code index}'s value bytes out. */
    public byte[] get(int index) {
        int p = at(index, 0, valueSize);
        byte[] out = new byte[valueSize];
        guard.enter();
        try {
            memory.get(p, out);
        } finally {
            guard.exit();
        }
        return out;
    }

    /** Copies {@code value} (the value size) into element {@code index}. */
    public void put(int index, byte[] value) {
        if (value.length != valueSize) {
            throw new IllegalArgumentException("values are " + valueSize + " bytes, not " + value.length);
        }
        int p = at(index, 0, valueSize);
        guard.enter();
        try {
            memory.put(p, value);
        } finally {
            guard.exit();
        }
    }

    /** Unmaps once no access is under way; idempotent. */
    @Override
    public void close() {
        guard.close();
    }
}
