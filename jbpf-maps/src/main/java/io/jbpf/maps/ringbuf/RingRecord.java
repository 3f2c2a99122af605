package io.jbpf.maps.ringbuf;

import io.jbpf.maps.codec.Codec;
import java.nio.ByteBuffer;

/**
 * One record of a BPF ring buffer, read in place, as a {@link RingRecordHandler} receives it.
 *
 * <p><b>Valid only until the handler returns.</b> The record lives in the ring the kernel writes
 * to: once its handler returns the reader gives the space back, and the kernel may overwrite it
 * with the next record at any time; once the reader is closed the ring is unmapped. So a record
 * checks, on every access, that its handler has not returned yet, and otherwise throws
 * {@link IllegalStateException} (rather than returning another record's bytes, or crashing the
 * JVM on unmapped memory). To keep a record, copy it inside the handler: {@link #toByteArray()},
 * or {@link #decode} with a codec. Use it only on the thread that runs the handler.
 *
 * <p>Indices are relative to the record's start, values in host byte order (as the program wrote
 * them). One small object is allocated per record; {@link RecordHandler} is the unchecked,
 * allocation-free form.
 */
public final class RingRecord {
    private final RecordScope scope;
    private final long generation;
    private final ByteBuffer buffer;
    private final int offset;
    private final int length;

    RingRecord(RecordScope scope, long generation, ByteBuffer buffer, int offset, int length) {
        this.scope = scope;
        this.generation = generation;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** The record's length in bytes. */
    public int length() {
        return length;
    }

    /** Whether the record may still be read: its handler has not returned yet. */
    public boolean isValid() {
        return scope.current() == generation;
    }

    /** The byte at {@code index}. */
    public byte get(int index) {
        return buffer.get(at(index, 1));
    }

    /** The u16/s16 at {@code index}. */
    public short getShort(int index) {
        return buffer.getShort(at(index, 2));
    }

    /** The u32/s32 at {@code index}. */
    public int getInt(int index) {
        return buffer.getInt(at(index, 4));
    }

    /** The u64/s64 at {@code index}. */
    public long getLong(int index) {
        return buffer.getLong(at(index, 8));
    }

    /** Copies {@code dst.length} bytes from {@code index} into {@code dst}. */
    public void get(int index, byte[] dst) {
        get(index, dst, 0, dst.length);
    }

    /** Copies {@code count} bytes from {@code index} into {@code dst} at {@code dstOffset}. */
    public void get(int index, byte[] dst, int dstOffset, int count) {
        buffer.get(at(index, count), dst, dstOffset, count);
    }

    /** A copy of the whole record, which stays valid. */
    public byte[] toByteArray() {
        byte[] copy = new byte[length];
        get(0, copy);
        return copy;
    }

    /**
     * The record's first {@code codec.size()} bytes decoded (a copy, which stays valid).
     *
     * @throws IllegalArgumentException when the record is shorter than the codec's size
     */
    public <T> T decode(Codec<T> codec) {
        if (codec.size() > length) {
            throw new IllegalArgumentException("a record of " + length + " bytes is shorter than " + codec
                    + " (" + codec.size() + " bytes)");
        }
        byte[] bytes = new byte[codec.size()];
        get(0, bytes);
        return codec.decode(bytes, 0);
    }

    private int at(int index, int size) {
        if (scope.current() != generation) {
            throw new IllegalStateException("this ring record was used after its handler returned: the ring "
                    + "memory it viewed has been given back to the kernel. Copy what you keep inside the handler "
                    + "(toByteArray(), decode(codec))");
        }
        if (index < 0 || size < 0 || index > length - size) {
            throw new IndexOutOfBoundsException("bytes [" + index + ", " + ((long) index + size)
                    + ") are outside the record of " + length + " bytes");
        }
        return offset + index;
    }

    @Override
    public String toString() {
        return "ring record of " + length + " bytes" + (isValid() ? "" : " (expired: its handler returned)");
    }
}
