package io.jbpf.core.dsl;

import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import java.util.Optional;

/**
 * Where a {@link PacketProgram} runs: the program type, how the program reaches the packet, the
 * context offsets it reads and the numbers of its verdicts.
 *
 * <ul>
 *   <li>{@link #XDP} — {@code struct xdp_md}: direct packet access from {@code data} (offset 0) to
 *       {@code data_end} (offset 4); verdicts {@code XDP_PASS} 2, {@code XDP_DROP} 1, redirect through
 *       {@code bpf_redirect} ({@code XDP_REDIRECT} 4).</li>
 *   <li>{@link #TC_INGRESS}, {@link #TC_EGRESS} — {@code SCHED_CLS} over {@code struct __sk_buff}:
 *       direct packet access from {@code data} (offset 76) to {@code data_end} (offset 80), the
 *       linear part of the buffer; verdicts {@code TC_ACT_OK} 0, {@code TC_ACT_SHOT} 2,
 *       {@code TC_ACT_REDIRECT} 7.</li>
 *   <li>{@link #SOCKET_FILTER} — direct packet access is not allowed: headers are copied to the
 *       stack with {@code bpf_skb_load_bytes_relative} from the link-layer (MAC) header, so offsets
 *       mean the same as for the other targets whether the socket's data starts at the MAC header
 *       (packet sockets) or at the network header ({@code BPF_PROG_TEST_RUN}, IP sockets). The
 *       verdict is the number of bytes to keep: pass is {@code 0xffffffff} (all), drop is 0;
 *       there is no redirect.</li>
 * </ul>
 */
public enum Target {
    /** An XDP program ({@code BPF_PROG_TYPE_XDP}). */
    XDP(ProgramType.XDP, null, 0, 4, -1, 2, 1, 4),
    /** A TC classifier on ingress ({@code BPF_PROG_TYPE_SCHED_CLS}; attach with TCX or legacy TC). */
    TC_INGRESS(ProgramType.SCHED_CLS, null, 76, 80, 0, 0, 2, 7),
    /** A TC classifier on egress ({@code BPF_PROG_TYPE_SCHED_CLS}). */
    TC_EGRESS(ProgramType.SCHED_CLS, null, 76, 80, 0, 0, 2, 7),
    /** A socket filter ({@code BPF_PROG_TYPE_SOCKET_FILTER}). */
    SOCKET_FILTER(ProgramType.SOCKET_FILTER, null, -1, -1, 0, -1, 0, -1);

    private final ProgramType programType;
    private final AttachType attachType;
    private final int dataOffset;
    private final int dataEndOffset;
    private final int lenOffset;
    private final int pass;
    private final int drop;
    private final int redirect;

    Target(ProgramType programType, AttachType attachType, int dataOffset, int dataEndOffset, int lenOffset,
            int pass, int drop, int redirect) {
        this.programType = programType;
        this.attachType = attachType;
        this.dataOffset = dataOffset;
        this.dataEndOffset = dataEndOffset;
        this.lenOffset = lenOffset;
        this.pass = pass;
        this.drop = drop;
        this.redirect = redirect;
    }

    /** The kernel program type. */
    public ProgramType programType() {
        return programType;
    }

    /** The expected attach type the program is loaded with, if the target needs one. */
    public Optional<AttachType> expectedAttachType() {
        return Optional.ofNullable(attachType);
    }

    /** Whether the program reads the packet directly between {@code data} and {@code data_end}. */
    public boolean directPacketAccess() {
        return dataOffset >= 0;
    }

    /** The context offset of the 32-bit {@code data} field, or -1 without direct packet access. */
    public int dataOffset() {
        return dataOffset;
    }

    /** The context offset of the 32-bit {@code data_end} field, or -1 without direct packet access. */
    public int dataEndOffset() {
        return dataEndOffset;
    }

    /** The context offset of the 32-bit packet length ({@code __sk_buff.len}), or -1 (XDP: {@code data_end - data}). */
    public int lengthOffset() {
        return lenOffset;
    }

    /** The verdict that lets the packet go on. */
    public int passVerdict() {
        return pass;
    }

    /** The verdict that drops the packet. */
    public int dropVerdict() {
        return drop;
    }

    /** Whether {@code bpf_redirect} exists for this target. */
    public boolean canRedirect() {
        return redirect >= 0;
    }

    /** The verdict {@code bpf_redirect} returns on success, or -1 where there is no redirect. */
    public int redirectVerdict() {
        return redirect;
    }
}
