package io.jbpf.maps.capture;

import io.jbpf.core.pcap.PcapRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A packet a {@link LiveCapture} matched.
 *
 * @param index the 0-based number of the packet among those the capture handed out
 * @param timestamp when the reader took the record from the ring (not when the packet arrived:
 *        the ring carries no time, and the two are usually microseconds apart)
 * @param originalLength the packet's length on the interface
 * @param data its first bytes (at most the capture's snap length), from the Ethernet header on
 */
public record CapturedPacket(long index, Instant timestamp, int originalLength, byte[] data) {
    public CapturedPacket {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(data, "data");
    }

    /** The number of bytes kept. */
    public int capturedLength() {
        return data.length;
    }

    /** The packet as a pcap record (its data truncated to the snap length, as tcpdump -s writes it). */
    public PcapRecord toPcapRecord() {
        return new PcapRecord(timestamp, Math.max(originalLength, data.length), data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CapturedPacket p && p.index == index && p.timestamp.equals(timestamp)
                && p.originalLength == originalLength && Arrays.equals(p.data, data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(index, timestamp, originalLength) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "CapturedPacket[#" + index + ", " + timestamp + ", " + data.length + " of " + originalLength + " bytes]";
    }
}
