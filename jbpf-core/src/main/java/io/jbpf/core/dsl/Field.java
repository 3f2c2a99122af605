package io.jbpf.core.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A numeric header field: {@code bytes} bytes at {@code offset} of its header, read in network
 * byte order, shifted right by {@code shift} and masked with {@code mask}. Values given to the
 * match methods are in host terms (port 80 is {@code eq(80)}); the generated code handles the byte
 * order. A field whose {@link #layer()} is null is a property of the whole packet
 * ({@link #packetLength()}).
 *
 * @param layer  the header, or null for the packet length
 * @param name   the name used in messages, e.g. {@code tcp.dstPort}
 * @param offset the byte offset in the header
 * @param bytes  1, 2 or 4
 * @param mask   the bits of the value after the shift
 * @param shift  how far right to shift the network-order value before masking
 */
public record Field(Layer layer, String name, int offset, int bytes, long mask, int shift) {
    public Field {
        Objects.requireNonNull(name, "name");
        if (bytes != 1 && bytes != 2 && bytes != 4) {
            throw new DslException("field " + name + ": " + bytes + " bytes (must be 1, 2 or 4)");
        }
        if (offset < 0 || (layer != null && offset + bytes > layer.minLength())) {
            throw new DslException("field " + name + " at offset " + offset + " is outside the "
                    + (layer == null ? "packet" : layer + " header"));
        }
        if (shift < 0 || shift >= bytes * 8 || mask <= 0 || mask > (1L << (bytes * 8 - shift)) - 1) {
            throw new DslException("field " + name + ": mask 0x" + Long.toHexString(mask) + " and shift " + shift
                    + " do not fit " + bytes + " bytes");
        }
    }

    /** A whole field of {@code bytes} bytes. */
    public static Field of(Layer layer, String name, int offset, int bytes) {
        return new Field(layer, name, offset, bytes, (1L << (bytes * 8)) - 1, 0);
    }

    /** Bits of a field: {@code (value >> shift) & mask}. */
    public static Field bits(Layer layer, String name, int offset, int bytes, long mask, int shift) {
        return new Field(layer, name, offset, bytes, mask, shift);
    }

    /** The packet's length: {@code data_end - data} for XDP, {@code __sk_buff.len} for TC and socket filters. */
    public static Field packetLength() {
        return new Field(null, "length", 0, 4, 0xffffffffL, 0);
    }

    /** The largest value the field can have. */
    public long max() {
        return mask;
    }

    /** {@code field == value}. */
    public Match eq(long value) {
        return new Match.Compare(this, Match.Op.EQ, check(value));
    }

    /** {@code field != value} (false when the header is absent). */
    public Match ne(long value) {
        return new Match.Compare(this, Match.Op.NE, check(value));
    }

    /** {@code field < value}. */
    public Match lt(long value) {
        return new Match.Compare(this, Match.Op.LT, check(value));
    }

    /** {@code field <= value}. */
    public Match le(long value) {
        return new Match.Compare(this, Match.Op.LE, check(value));
    }

    /** {@code field > value}. */
    public Match gt(long value) {
        return new Match.Compare(this, Match.Op.GT, check(value));
    }

    /** {@code field >= value}. */
    public Match ge(long value) {
        return new Match.Compare(this, Match.Op.GE, check(value));
    }

    /** {@code low <= field <= high}, e.g. a port range. */
    public Match between(long low, long high) {
        if (low > high) {
            throw new DslException(name + ".between(" + low + ", " + high + "): the range is empty");
        }
        return new Match.Between(this, check(low), check(high));
    }

    /** {@code field} is one of {@code values}. */
    public Match in(long... values) {
        if (values.length == 0) {
            throw new DslException(name + ".in(): no values");
        }
        Long[] boxed = Arrays.stream(values).map(this::check).boxed().toArray(Long[]::new);
        return new Match.OneOf(this, List.of(boxed));
    }

    /** {@code (field & mask) == value}. */
    public Match masked(long bitMask, long value) {
        check(bitMask);
        if ((value & ~bitMask) != 0) {
            throw new DslException(name + ".masked(0x" + Long.toHexString(bitMask) + ", 0x" + Long.toHexString(value)
                    + "): the value has bits outside the mask");
        }
        return new Match.Masked(this, bitMask, value);
    }

    /** Every bit of {@code bitMask} is set (e.g. TCP flags SYN and ACK). */
    public Match allSet(long bitMask) {
        return masked(bitMask, bitMask);
    }

    /** At least one bit of {@code bitMask} is set. */
    public Match anySet(long bitMask) {
        return Match.Not.of(masked(bitMask, 0)).and(Match.present(this));
    }

    /** No bit of {@code bitMask} is set (false when the header is absent). */
    public Match noneSet(long bitMask) {
        return masked(bitMask, 0);
    }

    private long check(long value) {
        if (value < 0 || value > mask) {
            throw new DslException(name + ": value " + value + " is outside 0.." + mask);
        }
        return value;
    }

    @Override
    public String toString() {
        return name;
    }
}
