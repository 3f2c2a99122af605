package io.jbpf.core.pcap;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes a classic pcap file: the global header when opened, then one record per {@link #write}.
 * Data longer than the header's snap length is cut to it (the original length is kept).
 * I/O failures throw {@link UncheckedIOException}. Not thread-safe.
 */
public final class PcapWriter implements Closeable {
    private final OutputStream out;
    private final PcapHeader header;

    private PcapWriter(OutputStream out, PcapHeader header) {
        this.out = out;
        this.header = header;
    }

    /** Writes {@code header} to {@code out}; the writer owns {@code out} and closes it. */
    public static PcapWriter open(OutputStream out, PcapHeader header) {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(header, "header");
        PcapWriter w = new PcapWriter(new BufferedOutputStream(out), header);
        ByteBuffer b = ByteBuffer.allocate(PcapHeader.SIZE).order(header.byteOrder());
        b.putInt(header.nanosecond() ? PcapHeader.MAGIC_NANO : PcapHeader.MAGIC_MICRO);
        b.putShort((short) header.versionMajor());
        b.putShort((short) header.versionMinor());
        b.putInt(0); // thiszone: timestamps are UTC
        b.putInt(0); // sigfigs
        b.putInt(header.snapLength());
        b.putInt(header.linkType());
        w.put(b.array());
        return w;
    }

    /** Writes a file at {@code path} (replacing it) holding {@code records}. */
    public static void writeAll(Path path, PcapHeader header, Iterable<PcapRecord> records) {
        try (PcapWriter w = open(Files.newOutputStream(path), header)) {
            for (PcapRecord r : records) {
                w.write(r);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    /** The header this writer wrote. */
    public PcapHeader header() {
        return header;
    }

    /**
     * Appends {@code record}. Its timestamp is cut to microseconds unless the header has
     * nanosecond resolution; it must not be before 1970 nor after 2106 (an unsigned 32-bit second).
     */
    public void write(PcapRecord record) {
        Instant ts = record.timestamp();
        if (ts.getEpochSecond() < 0 || ts.getEpochSecond() > 0xffffffffL) {
            throw new IllegalArgumentException("pcap cannot hold timestamp " + ts);
        }
        byte[] data = record.data();
        if (data.length > header.snapLength()) {
            data = Arrays.copyOf(data, header.snapLength());
        }
        ByteBuffer b = ByteBuffer.allocate(16).order(header.byteOrder());
        b.putInt((int) ts.getEpochSecond());
        b.putInt(header.nanosecond() ? ts.getNano() : ts.getNano() / 1000);
        b.putInt(data.length);
        b.putInt(record.originalLength());
        put(b.array());
        put(data);
    }

    /** Appends a whole packet captured at {@code timestamp}. */
    public void write(Instant timestamp, byte[] data) {
        write(PcapRecord.of(timestamp, data));
    }

    /** Writes buffered records out. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private void put(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
