package io.jbpf.core.pcap;

import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One captured packet: when it was seen, its length on the wire, and the bytes captured (no more
 * than the file's snap length, so possibly fewer than {@code originalLength}). Immutable: the
 * bytes are copied in and out.
 *
 * @param timestamp when the packet was captured
 * @param originalLength the packet's length on the wire
 * @param data the captured bytes
 */
public record PcapRecord(Instant timestamp, int originalLength, byte[] data) {
    public PcapRecord {
        Objects.requireNonNull(timestamp, "timestamp");
        data = data.clone();
        if (originalLength < data.length) {
            throw new IllegalArgumentException("originalLength " + originalLength + " is less than the "
                    + data.length + " bytes captured");
        }
    }

    /** A whole packet ({@code originalLength} = its length) captured at {@code timestamp}. */
    public static PcapRecord of(Instant timestamp, byte[] data) {
        return new PcapRecord(timestamp, data.length, data);
    }

    /** A copy of the captured bytes. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The number of bytes captured. */
    public int capturedLength() {
        return data.length;
    }

    /** Whether fewer bytes were captured than the packet had. */
    public boolean truncated() {
        return data.length < originalLength;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcapRecord r && r.timestamp.equals(timestamp) && r.originalLength == originalLength
                && Arrays.equals(r.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, originalLength, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        String hex = HexFormat.of().formatHex(data, 0, Math.min(data.length, 64));
        return "PcapRecord[" + timestamp + ", " + data.length + "/" + originalLength + " bytes: " + hex
                + (data.length > 64 ? "…" : "") + "]";
    }
}
