package io.jbpf.test;

import io.jbpf.core.prog.ProgramType;
import io.jbpf.test.packet.Packet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What one run of a {@link BpfProgramUnderTest} gave, the same on every engine: the verdict, the
 * packet before and after, the context after, and where a redirect went (VM engines only).
 * Assert on it with {@link BpfAssertions#assertThat(RunOutcome)}.
 */
public final class RunOutcome {
    private final BpfEngine engine;
    private final ProgramType type;
    private final int verdict;
    private final Packet packetIn;
    private final byte[] dataOut;
    private final byte[] context;
    private final int redirectIfindex;
    private final List<String> trace;

    /**
     * @param engine           where it ran
     * @param type             the program's type
     * @param verdict          r0, the low 32 bits
     * @param packetIn         the packet given
     * @param dataOut          the data as the engine gave it back ({@code data_out})
     * @param context          the {@code __sk_buff} after the run, empty for XDP
     * @param redirectIfindex  the ifindex {@code bpf_redirect} asked for, -1 if none or not known
     * @param trace            the lines {@code bpf_trace_printk} printed (VM engines)
     */
    public RunOutcome(BpfEngine engine, ProgramType type, int verdict, Packet packetIn, byte[] dataOut, byte[] context,
            int redirectIfindex, List<String> trace) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.type = Objects.requireNonNull(type, "type");
        this.verdict = verdict;
        this.packetIn = Objects.requireNonNull(packetIn, "packetIn");
        this.dataOut = dataOut.clone();
        this.context = context.clone();
        this.redirectIfindex = redirectIfindex;
        this.trace = List.copyOf(trace);
    }

    /** The engine the program ran on. */
    public BpfEngine engine() {
        return engine;
    }

    /** The program's type. */
    public ProgramType programType() {
        return type;
    }

    /** The program's return value (r0, the low 32 bits: the kernel's test run reports no more). */
    public int verdict() {
        return verdict;
    }

    /** {@link #verdict()} named for the program type, e.g. {@code XDP_DROP (1)}. */
    public String verdictName() {
        return Verdict.describe(type, verdict);
    }

    /** The packet the program was given. */
    public Packet packetBefore() {
        return packetIn;
    }

    /**
     * The packet after the run, from its link-layer header on. For XDP, metadata the program put
     * in front of the packet ({@code bpf_xdp_adjust_meta}) comes first, as in the kernel's
     * {@code data_out}. For socket filters, whose {@code data_out} has the Ethernet header zeroed
     * on every engine, the Ethernet header given is put back so the packet parses; the
     * unmodified bytes are {@link #dataOut()}.
     */
    public Packet packet() {
        byte[] b = dataOut.clone();
        if (type == ProgramType.SOCKET_FILTER && b.length >= 14 && packetIn.length() >= 14) {
            System.arraycopy(packetIn.bytes(), 0, b, 0, 14);
        }
        return Packet.of(packetIn.link(), b);
    }

    /** The packet data exactly as the engine gave it back. */
    public byte[] dataOut() {
        return dataOut.clone();
    }

    /** Whether the packet after the run has the same bytes as before (see {@link #packet()}). */
    public boolean packetUnchanged() {
        return Arrays.equals(packet().bytes(), packetIn.bytes());
    }

    /** The {@code __sk_buff} after the run (TC and socket filters; 192 bytes), empty for XDP. */
    public byte[] context() {
        return context.clone();
    }

    /** The 32-bit field at {@code offset} of {@link #context()}, e.g. 8 for {@code mark}. */
    public int contextInt(int offset) {
        if (offset < 0 || offset + 4 > context.length) {
            throw new IllegalArgumentException("no 4-byte context field at offset " + offset + " of a "
                    + context.length + "-byte context (" + type + ")");
        }
        return ByteBuffer.wrap(context).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }

    /** {@code __sk_buff.mark} after the run (TC and socket filters). */
    public int mark() {
        return contextInt(8);
    }

    /**
     * The device {@code bpf_redirect} asked for, when the engine can tell: the VM can, the kernel's
     * test run does not report it. Empty when the program did not redirect or the engine cannot tell.
     */
    public OptionalInt redirectIfindex() {
        return redirectIfindex < 0 ? OptionalInt.empty() : OptionalInt.of(redirectIfindex);
    }

    /** Whether this engine reports redirect targets ({@link #redirectIfindex()}): the VM's do. */
    public boolean redirectTargetKnown() {
        return engine.isVm();
    }

    /** What {@code bpf_trace_printk} printed (VM engines; empty for the kernel). */
    public List<String> trace() {
        return trace;
    }

    @Override
    public String toString() {
        return "RunOutcome[" + engine.displayName() + ", " + type + " returned " + verdictName() + ", packet "
                + (packetUnchanged() ? "unchanged" : "now " + packet()) + (redirectIfindex >= 0
                        ? ", redirect to ifindex " + redirectIfindex : "") + "]";
    }
}
