package io.jbpf.netpolicy.datapath;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.netpolicy.policy.Direction;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The datapath's flow events: a ring buffer of 48-byte records
 * <pre>
 *   u8  type        @0   1 drop, 2 policy verdict (a connection's first packet allowed)
 *   u8  reason      @1   Cilium's drop reason (133 policy denied, 181 policy deny, 132 invalid source), 0
 *   u8  direction   @2   0 ingress, 1 egress
 *   u8  protocol    @3
 *   u16 endpoint    @4   the local endpoint id (host order, as the numbers below)
 *   u8  tcpFlags    @6
 *   u8  pad         @7
 *   u32 srcIdentity @8
 *   u32 dstIdentity @12
 *   u32 saddr       @16  network order
 *   u32 daddr       @20  network order
 *   u16 sport       @24  network order
 *   u16 dport       @26  network order
 *   u32 length      @28  the packet's length
 *   u64 time        @32  bpf_ktime_get_ns
 *   u64 pad         @40
 * </pre>
 */
public final class FlowEvents {
    /** The record size. */
    public static final int SIZE = 48;
    /** Field offsets. */
    public static final int TYPE = 0, REASON = 1, DIRECTION = 2, PROTOCOL = 3, ENDPOINT = 4, TCP_FLAGS = 6,
            SRC_IDENTITY = 8, DST_IDENTITY = 12, SADDR = 16, DADDR = 20, SPORT = 24, DPORT = 26, LENGTH = 28, TIME = 32;
    /** Event types. */
    public static final int TYPE_DROP = 1, TYPE_VERDICT = 2;
    /** Cilium's drop reasons the datapath gives. */
    public static final int DROP_INVALID_SOURCE = 132, DROP_POLICY = 133, DROP_POLICY_DENY = 181, DROP_NO_SERVICE = 158;
    /** The ring buffer's size. */
    public static final int RING_SIZE = 1 << 20;

    private FlowEvents() {}

    /** The ring buffer's spec. */
    public static MapSpec spec(String name) {
        return MapSpec.of(name, MapType.RINGBUF, 0, 0, RING_SIZE);
    }

    /** Cilium's text for a drop reason. */
    public static String reasonText(int reason) {
        switch (reason) {
            case DROP_INVALID_SOURCE:
                return "Invalid source ip";
            case DROP_POLICY:
                return "Policy denied";
            case DROP_POLICY_DENY:
                return "Policy denied by denylist";
            case DROP_NO_SERVICE:
                return "Service backend not found";
            case 0:
                return "";
            default:
                return "reason " + reason;
        }
    }

    /**
     * One event as the datapath wrote it.
     *
     * @param dropped     a drop (else an allowed connection's first packet)
     * @param reason      the drop reason, 0 when forwarded
     * @param direction   the local endpoint's direction
     * @param protocol    the IP protocol
     * @param endpoint    the local endpoint id (0 when the source was no endpoint)
     * @param tcpFlags    the TCP flags, 0 for other protocols
     * @param srcIdentity the source's identity
     * @param dstIdentity the destination's identity
     * @param source      the source address
     * @param destination the destination address
     * @param sourcePort  the source port, 0 without one
     * @param destinationPort the destination port, 0 without one
     * @param length      the packet length
     * @param timeNs      when, in bpf_ktime_get_ns (CLOCK_MONOTONIC)
     */
    public record Event(boolean dropped, int reason, Direction direction, int protocol, int endpoint, int tcpFlags,
            int srcIdentity, int dstIdentity, Inet4Address source, Inet4Address destination, int sourcePort,
            int destinationPort, int length, long timeNs) {}

    /** Decodes the record at {@code offset} of {@code buffer}. */
    public static Event decode(ByteBuffer buffer, int offset) {
        ByteBuffer b = buffer.duplicate().order(ByteOrder.nativeOrder());
        byte[] s = new byte[4];
        byte[] d = new byte[4];
        b.get(offset + SADDR, s).get(offset + DADDR, d);
        ByteBuffer be = buffer.duplicate().order(ByteOrder.BIG_ENDIAN);
        try {
            return new Event(b.get(offset + TYPE) == TYPE_DROP, b.get(offset + REASON) & 0xFF,
                    b.get(offset + DIRECTION) == 0 ? Direction.INGRESS : Direction.EGRESS, b.get(offset + PROTOCOL) & 0xFF,
                    b.getShort(offset + ENDPOINT) & 0xFFFF, b.get(offset + TCP_FLAGS) & 0xFF, b.getInt(offset + SRC_IDENTITY),
                    b.getInt(offset + DST_IDENTITY), (Inet4Address) InetAddress.getByAddress(s),
                    (Inet4Address) InetAddress.getByAddress(d), be.getShort(offset + SPORT) & 0xFFFF,
                    be.getShort(offset + DPORT) & 0xFFFF, b.getInt(offset + LENGTH), b.getLong(offset + TIME));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
