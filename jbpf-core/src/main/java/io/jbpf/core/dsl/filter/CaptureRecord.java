package io.jbpf.core.dsl.filter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record a {@link CaptureProgram} writes to its ring buffer: the packet's length as a u32 in
 * host byte order, then its first bytes (as many as the record has left: the snap length, or the
 * whole packet when it is shorter).
 *
 * @param originalLength the packet's length where the program ran
 * @param data the head bytes, from the Ethernet header on
 */
public record CaptureRecord(int originalLength, byte[] data) {
    /** The bytes before the packet's head bytes. */
    public static final int HEADER_BYTES = 4;

    public CaptureRecord {
        Objects.requireNonNull(data, "data");
        if (Integer.compareUnsigned(originalLength, data.length) < 0) {
            throw new IllegalArgumentException("a record of " + data.length + " captured bytes says the packet had "
                    + Integer.toUnsignedString(originalLength));
        }
    }

    /**
     * Decodes the record of {@code length} bytes at {@code offset} of {@code buffer} (absolute
     * indices; the buffer's position and order are not used), copying the head bytes.
     *
     * @throws IllegalArgumentException when the record is too short or names a length shorter than its bytes
     */
    public static CaptureRecord decode(ByteBuffer buffer, int offset, int length) {
        if (length < HEADER_BYTES) {
            throw new IllegalArgumentException("a capture record of " + length + " bytes (at least " + HEADER_BYTES
                    + ")");
        }
        byte[] len = new byte[HEADER_BYTES];
        buffer.get(offset, len);
        byte[] data = new byte[length - HEADER_BYTES];
        buffer.get(offset + HEADER_BYTES, data);
        return new CaptureRecord(ByteBuffer.wrap(len).order(ByteOrder.nativeOrder()).getInt(), data);
    }

    /** Decodes a record held in an array. */
    public static CaptureRecord decode(byte[] record) {
        return decode(ByteBuffer.wrap(record), 0, record.length);
    }

    /** The number of head bytes kept. */
    public int capturedLength() {
        return data.length;
    }

    /** Whether the packet was longer than what was kept. */
    public boolean truncated() {
        return originalLength != data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptureRecord r && r.originalLength == originalLength && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return 31 * originalLength + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CaptureRecord[" + data.length + " of " + Integer.toUnsignedString(originalLength) + " bytes]";
    }
}
