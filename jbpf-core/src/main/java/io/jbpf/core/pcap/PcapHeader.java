package io.jbpf.core.pcap;

import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The global header of a classic pcap file.
 *
 * @param linkType the link-layer header type of every record, for instance {@link #LINKTYPE_ETHERNET}
 * @param snapLength the longest record the file may hold (longer packets are cut to this)
 * @param nanosecond whether timestamps have nanosecond (magic {@code 0xa1b23c4d}) rather than
 *     microsecond resolution
 * @param byteOrder the byte order of every header field in the file
 * @param versionMajor the format's major version (2)
 * @param versionMinor the format's minor version (4)
 */
public record PcapHeader(int linkType, int snapLength, boolean nanosecond, ByteOrder byteOrder, int versionMajor,
        int versionMinor) {
    /** {@code LINKTYPE_ETHERNET}: IEEE 802.3 Ethernet frames. */
    public static final int LINKTYPE_ETHERNET = 1;
    /** {@code LINKTYPE_RAW}: raw IPv4 or IPv6 packets, no link-layer header. */
    public static final int LINKTYPE_RAW = 101;
    /** {@code LINKTYPE_LINUX_SLL}: Linux "cooked" capture (tcpdump -i any). */
    public static final int LINKTYPE_LINUX_SLL = 113;
    /** The snap length tcpdump uses by default. */
    public static final int DEFAULT_SNAP_LENGTH = 262_144;

    static final int MAGIC_MICRO = 0xa1b2c3d4;
    static final int MAGIC_NANO = 0xa1b23c4d;
    static final int SIZE = 24;

    public PcapHeader {
        Objects.requireNonNull(byteOrder, "byteOrder");
        if (snapLength <= 0) {
            throw new IllegalArgumentException("snapLength must be positive: " + snapLength);
        }
    }

    /**
     * A version 2.4 header for {@code linkType}, little-endian (as libpcap writes it on x86),
     * microsecond timestamps, {@link #DEFAULT_SNAP_LENGTH}.
     */
    public static PcapHeader of(int linkType) {
        return new PcapHeader(linkType, DEFAULT_SNAP_LENGTH, false, ByteOrder.LITTLE_ENDIAN, 2, 4);
    }

    /** This header with nanosecond (true) or microsecond (false) timestamps. */
    public PcapHeader withNanosecond(boolean nanosecond) {
        return new PcapHeader(linkType, snapLength, nanosecond, byteOrder, versionMajor, versionMinor);
    }

    /** This header with fields in {@code order}. */
    public PcapHeader withByteOrder(ByteOrder order) {
        return new PcapHeader(linkType, snapLength, nanosecond, order, versionMajor, versionMinor);
    }

    /** This header with {@code snapLength}. */
    public PcapHeader withSnapLength(int snapLength) {
        return new PcapHeader(linkType, snapLength, nanosecond, byteOrder, versionMajor, versionMinor);
    }
}
