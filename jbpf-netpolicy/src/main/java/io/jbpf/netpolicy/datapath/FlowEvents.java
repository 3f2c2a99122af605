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
 *   u8  type        @0   1 drop, 2 policy verdict (a new connection's first packet allowed)
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
 *   u8  icmpType    @40  ICMP type and code (0 for other protocols)
 *   u8  icmpCode    @41
 *   u8  pad[6]      @42
 * </pre>
 * Events that find the ring full are counted per CPU in {@link #LOST} instead. The reader is woken
 * only when {@link #WAKEUP_WATERMARK} bytes wait; otherwise it finds the events when it next polls.
 */
public final class FlowEvents {
    /** The record size. */
    public static final int SIZE = 48;
    /** Field offsets. */
    public static final int TYPE = 0, REASON = 1, DIRECTION = 2, PROTOCOL = 3, ENDPOINT = 4, TCP_FLAGS = 6,
            SRC_IDENTITY = 8, DST_IDENTITY = 12, SADDR = 16, DADDR = 20, SPORT = 24, DPORT = 26, LENGTH = 28, TIME = 32,
            ICMP_TYPE = 40, ICMP_CODE = 41;
    /** Event types. */
    public static final int TYPE_DROP = 1, TYPE_VERDICT = 2;
    /** Cilium's drop reasons the datapath gives. */
    public static final int DROP_INVALID_SOURCE = 132, DROP_POLICY = 133, DROP_POLICY_DENY = 181, DROP_NO_SERVICE = 158;
    /** The ring buffer's size. */
    public static final int RING_SIZE = 1 << 20;
    /**
     * The bytes waiting in the ring at which the datapath wakes its reader; below it, events wait
     * for the reader's next poll ({@link io.jbpf.netpolicy.flow.FlowObserver#POLL_INTERVAL}).
     */
    public static final int WAKEUP_WATERMARK = 64 * 1024;

    private FlowEvents() {}

    /** The name of the per-CPU count of events the ring had no room for (a one-element per-CPU array of u64). */
    public static final String LOST = "jbpf_evlost";

    /** The lost-event counter's spec. */
    public static MapSpec lostSpec() {
        return MapSpec.of(LOST, MapType.PERCPU_ARRAY, 4, 8, 1);
    }

    /** The events lost so far, summed over the CPUs. */
    public static long lost(io.jbpf.core.map.RawMap lost) {
        byte[] v = new byte[lost.valueBufferSize()];
        if (!lost.lookup(new byte[4], v)) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
        long n = 0;
        for (int off = 0; off + 8 <= v.length; off += 8) {
            n += b.getLong(off);
        }
        return n;
    }

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
     * @param icmpType    the ICMP type, 0 for other protocols
     * @param icmpCode    the ICMP code, 0 for other protocols
     */
    public record Event(boolean dropped, int reason, Direction direction, int protocol, int endpoint, int tcpFlags,
            int srcIdentity, int dstIdentity, Inet4Address source, Inet4Address destination, int sourcePort,
            int destinationPort, int length, long timeNs, int icmpType, int icmpCode) {}

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
                    be.getShort(offset + DPORT) & 0xFFFF, b.getInt(offset + LENGTH), b.getLong(offset + TIME),
                    b.get(offset + ICMP_TYPE) & 0xFF, b.get(offset + ICMP_CODE) & 0xFF);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
