package io.jbpf.core.dsl.filter;

import static io.jbpf.core.dsl.Dsl.always;
import static io.jbpf.core.dsl.Dsl.code;
import static io.jbpf.core.dsl.Dsl.countPerCpu;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.dsl.Dsl.sample;

import io.jbpf.core.dsl.Action;
import io.jbpf.core.dsl.DslException;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.map.RawMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * A capture program built with the packet DSL from a {@link PcapFilter}: an XDP or TC program that
 * never changes a packet's fate (every path passes it) and, for each packet the filter matches,
 * writes a {@link CaptureRecord} (the packet's length and its first {@link #snapLength()} bytes) to a
 * ring buffer. It counts every packet it sees and every packet that matched, per CPU.
 *
 * <pre>{@code
 * CaptureProgram cap = CaptureProgram.of(PcapFilter.compile("icmp"), Target.XDP);
 * try (KernelPacketProgram loaded = cap.program().load()) {
 *     // attach loaded.program(); read loaded.map(CaptureProgram.RING_MAP) with a ring buffer reader,
 *     // decoding each record with CaptureRecord.decode
 * }
 * }</pre>
 *
 * <p>The program is: for every packet, {@code countPerCpu(COUNT_MAP, SEEN)}; when the filter
 * matches ({@link PcapFilter#predicate()}), {@code countPerCpu(COUNT_MAP, MATCHED)} and
 * {@code sample(RING_MAP, snapLength)}; then pass. The counters are the DSL's: per CPU, a
 * little-endian u64 packet count and a u64 byte count at each index. A record that does not fit
 * in a full ring is lost without a count of its own: {@code matched} minus the records read is
 * the number lost. "The packet's length" is what the DSL measures on the target ({@code
 * data_end - data} on XDP, {@code skb->len} on TC) and the filter's {@code len} is that same length.
 *
 * <p>A plain value, like the {@link PacketProgram} it holds: no fds until loaded.
 */
public final class CaptureProgram {
    /** The ring buffer map the records go to. */
    public static final String RING_MAP = "jbpf_cap_ring";
    /** The per-CPU array map of counters ({@link #SEEN}, {@link #MATCHED}). */
    public static final String COUNT_MAP = "jbpf_cap_count";
    /** The counter index of every packet the program sees. */
    public static final int SEEN = 0;
    /** The counter index of the packets the filter matched. */
    public static final int MATCHED = 1;
    /** The default number of head bytes kept. */
    public static final int DEFAULT_SNAP_LENGTH = 128;
    /** The largest number of head bytes a record can keep. */
    public static final int MAX_SNAP_LENGTH = Action.Sample.MAX_BYTES;
    /** The default ring size: 1 MiB. */
    public static final int DEFAULT_RING_SIZE = 1 << 20;

    private final PcapFilter filter;
    private final Target target;
    private final int snapLength;
    private final int ringSize;
    private final PacketProgram program;

    private CaptureProgram(PcapFilter filter, Target target, int snapLength, int ringSize, PacketProgram program) {
        this.filter = filter;
        this.target = target;
        this.snapLength = snapLength;
        this.ringSize = ringSize;
        this.program = program;
    }

    /** A capture program for {@code target} keeping {@link #DEFAULT_SNAP_LENGTH} bytes in a ring of {@link #DEFAULT_RING_SIZE}. */
    public static CaptureProgram of(PcapFilter filter, Target target) {
        return of(filter, target, DEFAULT_SNAP_LENGTH, DEFAULT_RING_SIZE);
    }

    /**
     * A capture program for {@code target} (XDP, TC ingress or TC egress).
     *
     * @param snapLength how many head bytes a record keeps, 1 to {@link #MAX_SNAP_LENGTH}
     * @param ringSize the ring buffer's size in bytes: a power of two, at least 4096
     * @throws IllegalArgumentException for a snap length or ring size out of range, or a socket filter target
     */
    public static CaptureProgram of(PcapFilter filter, Target target, int snapLength, int ringSize) {
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(target, "target");
        if (!target.directPacketAccess()) {
            throw new IllegalArgumentException("a capture program runs on XDP or TC, not " + target);
        }
        if (snapLength < 1 || snapLength > MAX_SNAP_LENGTH) {
            throw new IllegalArgumentException("snap length " + snapLength + " (1.." + MAX_SNAP_LENGTH + ")");
        }
        if (ringSize < 4096 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size " + ringSize + ": a power of two of at least 4096");
        }
        PacketProgram p;
        try {
            p = PacketProgram.forTarget(target)
                    .name("jbpf_capture")
                    .when(always()).then(countPerCpu(COUNT_MAP, SEEN))
                    .when(code(filter.predicate())).then(countPerCpu(COUNT_MAP, MATCHED),
                            sample(RING_MAP, snapLength, ringSize), pass())
                    .otherwise(pass())
                    .build();
        } catch (DslException e) {
            throw new IllegalArgumentException("cannot build a capture program for '" + filter.expression() + "' on "
                    + target + ": " + e.getMessage(), e);
        }
        return new CaptureProgram(filter, target, snapLength, ringSize, p);
    }

    /** The filter. */
    public PcapFilter filter() {
        return filter;
    }

    /** Where the program runs. */
    public Target target() {
        return target;
    }

    /** How many head bytes a record keeps at most. */
    public int snapLength() {
        return snapLength;
    }

    /** The ring buffer's size in bytes. */
    public int ringSize() {
        return ringSize;
    }

    /** The program, to load in the kernel or the VM. */
    public PacketProgram program() {
        return program;
    }

    /**
     * The packet count at {@code index} ({@link #SEEN} or {@link #MATCHED}) of the program's
     * {@link #COUNT_MAP}, summed over the CPUs; works on the kernel map and on the VM's.
     */
    public static long packets(RawMap counts, int index) {
        if (index != SEEN && index != MATCHED) {
            throw new IllegalArgumentException("counter index " + index + " (" + SEEN + " seen or " + MATCHED
                    + " matched)");
        }
        byte[] key = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array();
        byte[] value = new byte[counts.valueBufferSize()];
        if (!counts.lookup(key, value)) {
            return 0;
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        long sum = 0;
        for (int at = 0; at + 16 <= value.length; at += 16) {
            sum += b.getLong(at);
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CaptureProgram c && c.program.equals(program) && c.snapLength == snapLength
                && c.filter.expression().equals(filter.expression());
    }

    @Override
    public int hashCode() {
        return Objects.hash(program, snapLength, filter.expression());
    }

    @Override
    public String toString() {
        return "CaptureProgram['" + filter.expression() + "', " + target + ", snap " + snapLength + ", ring "
                + ringSize + ", " + program.programSpec().instructionCount() + " insns]";
    }
}
