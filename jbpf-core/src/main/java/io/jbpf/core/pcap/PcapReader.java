package io.jbpf.core.pcap;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a classic pcap file: the global header, then one {@link PcapRecord} per {@link #next()}.
 * Accepts both byte orders and both the microsecond ({@code 0xa1b2c3d4}) and the nanosecond
 * ({@code 0xa1b23c4d}) magic. Malformed input throws {@link PcapFormatException} naming the offset;
 * I/O failures throw {@link UncheckedIOException}. Not thread-safe.
 *
 * <pre>{@code
 * try (PcapReader in = PcapReader.open(Files.newInputStream(path))) {
 *     for (PcapRecord r = in.next(); r != null; r = in.next()) { ... }
 * }
 * }</pre>
 */
public final class PcapReader implements Closeable {
    /** Larger records than this are taken as corruption rather than allocated. */
    private static final int MAX_RECORD = 1 << 28;

    private final InputStream in;
    private final PcapHeader header;
    private long offset;

    private PcapReader(InputStream in, PcapHeader header) {
        this.in = in;
        this.header = header;
        this.offset = PcapHeader.SIZE;
    }

    /** Reads the global header from {@code in}; the reader owns {@code in} and closes it. */
    public static PcapReader open(InputStream in) {
        Objects.requireNonNull(in, "in");
        InputStream buffered = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
        byte[] h = new byte[PcapHeader.SIZE];
        int n = readFully(buffered, h);
        if (n < 4) {
            throw new PcapFormatException(n, "not a pcap file: " + n + " bytes, too short for a magic number");
        }
        ByteBuffer b = ByteBuffer.wrap(h).order(ByteOrder.BIG_ENDIAN);
        int magic = b.getInt(0);
        ByteOrder order;
        boolean nanos;
        if (magic == PcapHeader.MAGIC_MICRO || magic == PcapHeader.MAGIC_NANO) {
            order = ByteOrder.BIG_ENDIAN;
            nanos = magic == PcapHeader.MAGIC_NANO;
        } else if (Integer.reverseBytes(magic) == PcapHeader.MAGIC_MICRO
                || Integer.reverseBytes(magic) == PcapHeader.MAGIC_NANO) {
            order = ByteOrder.LITTLE_ENDIAN;
            nanos = Integer.reverseBytes(magic) == PcapHeader.MAGIC_NANO;
        } else if (magic == 0x0a0d0d0a) {
            throw new PcapFormatException(0, "this is a pcapng file; only classic pcap is supported"
                    + " (convert it with: editcap -F pcap in.pcapng out.pcap)");
        } else {
            throw new PcapFormatException(0, String.format("not a pcap file: magic 0x%08x", magic));
        }
        if (n < PcapHeader.SIZE) {
            throw new PcapFormatException(n, "global header truncated: " + n + " of " + PcapHeader.SIZE + " bytes");
        }
        b.order(order);
        int major = b.getShort(4) & 0xffff;
        int minor = b.getShort(6) & 0xffff;
        int snap = b.getInt(16);
        int linkType = b.getInt(20);
        if (major != 2) {
            throw new PcapFormatException(4, "unsupported pcap version " + major + "." + minor);
        }
        // some writers leave the snap length 0 or negative; treat that as "no limit"
        PcapHeader header = new PcapHeader(linkType, snap <= 0 ? Integer.MAX_VALUE : snap, nanos, order, major, minor);
        return new PcapReader(buffered, header);
    }

    /** Reads every record of the file at {@code path}. */
    public static List<PcapRecord> readAll(Path path) {
        try (PcapReader r = open(Files.newInputStream(path))) {
            return r.readAll();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** The file's global header. */
    public PcapHeader header() {
        return header;
    }

    /** The next record, or null at the end of the file. */
    public PcapRecord next() {
        byte[] rh = new byte[16];
        int n = readFully(in, rh);
        if (n == 0) {
            return null;
        }
        if (n < rh.length) {
            throw new PcapFormatException(offset, "record header truncated: " + n + " of 16 bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(rh).order(header.byteOrder());
        long seconds = b.getInt(0) & 0xffffffffL;
        long fraction = b.getInt(4) & 0xffffffffL;
        int captured = b.getInt(8);
        int original = b.getInt(12);
        if (captured < 0 || captured > MAX_RECORD) {
            throw new PcapFormatException(offset + 8, "implausible captured length " + Integer.toUnsignedString(captured));
        }
        long limit = header.nanosecond() ? 1_000_000_000L : 1_000_000L;
        if (fraction >= limit) {
            throw new PcapFormatException(offset + 4, "sub-second timestamp " + fraction + " is not below " + limit);
        }
        byte[] data = new byte[captured];
        int got = readFully(in, data);
        if (got < captured) {
            throw new PcapFormatException(offset + 16 + got, "record data truncated: " + got + " of " + captured + " bytes");
        }
        offset += 16 + captured;
        Instant ts = Instant.ofEpochSecond(seconds, header.nanosecond() ? fraction : fraction * 1000);
        // a corrupt or sloppy writer may put an original length below the captured one
        return new PcapRecord(ts, Math.max(original, captured), data);
    }

    /** Reads the remaining records. */
    public List<PcapRecord> readAll() {
        List<PcapRecord> all = new ArrayList<>();
        for (PcapRecord r = next(); r != null; r = next()) {
            all.add(r);
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    private static int readFully(InputStream in, byte[] buf) {
        try {
            return in.readNBytes(buf, 0, buf.length);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
