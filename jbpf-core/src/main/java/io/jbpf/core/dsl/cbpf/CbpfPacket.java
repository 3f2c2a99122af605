package io.jbpf.core.dsl.cbpf;

import java.util.Objects;

/**
 * What a classic filter runs over in {@link CbpfInterpreter}: the packet bytes and, optionally, the
 * socket-buffer facts that the kernel's ancillary loads ({@link CbpfInsn.Ancillary}) and the
 * {@code SKF_LL_OFF} / {@code SKF_NET_OFF} offsets read.
 *
 * <p>{@code bytes[data]} is offset 0 of absolute loads; loads may read up to the end of
 * {@code bytes} (the captured length). {@code ld #len} gives {@code length}, which is normally
 * {@code bytes.length - data}, or a pcap record's original (wire) length when the capture was cut
 * short, as libpcap does. {@code macHeader} and {@code networkHeader} are indices into
 * {@code bytes} (they may be before {@code data}), or {@code -1} when unknown (then loads through
 * {@code SKF_LL_OFF} / {@code SKF_NET_OFF} fail, ending the filter with 0).
 *
 * @param bytes the buffer (not copied: do not change it while a filter runs)
 * @param data where offset 0 is
 * @param length what {@code ld #len} loads
 * @param macHeader the link-layer header's index, or -1
 * @param networkHeader the network header's index, or -1
 * @param metadata the ancillary values, or {@code null} (then an ancillary load is refused with
 *        {@link CbpfException}, except {@code xor_x} which needs none)
 */
public record CbpfPacket(byte[] bytes, int data, int length, int macHeader, int networkHeader, Metadata metadata) {
    /** Checks the indices. */
    public CbpfPacket {
        Objects.requireNonNull(bytes, "bytes");
        if (data < 0 || data > bytes.length) {
            throw new IllegalArgumentException("data " + data + " is outside the " + bytes.length + "-byte buffer");
        }
        if (length < 0) {
            throw new IllegalArgumentException("length " + length + " is negative");
        }
        if (macHeader < -1 || macHeader > bytes.length || networkHeader < -1 || networkHeader > bytes.length) {
            throw new IllegalArgumentException("header index outside the " + bytes.length + "-byte buffer");
        }
    }

    /**
     * A frame that starts at its link-layer header, as a packet socket or tcpdump sees it:
     * data and MAC header at 0, no network header, length = the frame's length, no metadata.
     */
    public static CbpfPacket of(byte[] frame) {
        return new CbpfPacket(frame, 0, frame.length, 0, -1, null);
    }

    /**
     * An Ethernet frame: data and MAC header at 0, the network header after the 14-byte Ethernet
     * header (when the frame is that long).
     */
    public static CbpfPacket ethernet(byte[] frame) {
        return new CbpfPacket(frame, 0, frame.length, 0, frame.length >= 14 ? 14 : -1, null);
    }

    /** This packet with {@code ld #len} giving {@code wireLength} (a pcap record's original length). */
    public CbpfPacket withLength(int wireLength) {
        return new CbpfPacket(bytes, data, wireLength, macHeader, networkHeader, metadata);
    }

    /** This packet with ancillary values. */
    public CbpfPacket withMetadata(Metadata m) {
        return new CbpfPacket(bytes, data, length, macHeader, networkHeader, m);
    }

    /** The number of bytes loads can read: {@code bytes.length - data}. */
    public int available() {
        return bytes.length - data;
    }

    /**
     * The socket buffer's fields that ancillary loads read, as the kernel presents them to a filter.
     * {@code nlattr}/{@code nlattr_nest} (netlink searches) and {@code poff} are not modelled;
     * {@code random} and {@code cpu} read the fixed values given here.
     *
     * @param protocol {@code skb->protocol} in host order (0x0800 for IPv4)
     * @param pktType {@code skb->pkt_type}
     * @param ifindex the device's ifindex
     * @param mark {@code skb->mark}
     * @param queue {@code skb->queue_mapping}
     * @param hatype the device type (1 = ARPHRD_ETHER)
     * @param rxhash {@code skb->hash}
     * @param cpu the CPU number to report
     * @param vlanTci the offloaded VLAN TCI (0 when none)
     * @param vlanPresent whether a VLAN tag was offloaded
     * @param vlanTpid the offloaded VLAN's TPID in host order (0 when none)
     * @param random the value {@code random} loads
     */
    public record Metadata(int protocol, int pktType, int ifindex, int mark, int queue, int hatype, int rxhash, int cpu,
            int vlanTci, boolean vlanPresent, int vlanTpid, int random) {
        /** Metadata with only the protocol and ifindex set, an Ethernet device, a packet to this host. */
        public static Metadata of(int protocol, int ifindex) {
            return new Metadata(protocol, 0, ifindex, 0, 0, 1, 0, 0, 0, false, 0, 0);
        }

        /** This metadata with an offloaded VLAN tag. */
        public Metadata withVlan(int tpid, int tci) {
            return new Metadata(protocol, pktType, ifindex, mark, queue, hatype, rxhash, cpu, tci, true, tpid, random);
        }

        /** This metadata with another packet type. */
        public Metadata withPktType(int type) {
            return new Metadata(protocol, type, ifindex, mark, queue, hatype, rxhash, cpu, vlanTci, vlanPresent, vlanTpid,
                    random);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CbpfPacket)) {
            return false;
        }
        CbpfPacket p = (CbpfPacket) o;
        return java.util.Arrays.equals(bytes, p.bytes) && data == p.data && length == p.length
                && macHeader == p.macHeader && networkHeader == p.networkHeader && Objects.equals(metadata, p.metadata);
    }

    @Override
    public int hashCode() {
        return Objects.hash(java.util.Arrays.hashCode(bytes), data, length, macHeader, networkHeader, metadata);
    }

    @Override
    public String toString() {
        return "CbpfPacket[" + bytes.length + " bytes, data " + data + ", length " + length + "]";
    }
}
