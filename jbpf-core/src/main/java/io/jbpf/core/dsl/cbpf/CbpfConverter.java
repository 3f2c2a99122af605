package io.jbpf.core.dsl.cbpf;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import java.util.List;

/**
 * Converts classic BPF to eBPF that the verifier accepts, in two flavours.
 *
 * <h2>As the kernel converts socket filters: {@link #socketFilter}</h2>
 * Like the kernel's {@code bpf_convert_filter}: A is {@code w0}, X is {@code w7}, the context is
 * kept in {@code r6}, {@code M[]} is 64 bytes of stack, packet loads are the legacy
 * {@code LD_ABS}/{@code LD_IND} instructions (which end the program with 0 when they fail, exactly
 * as classic BPF does). The program returns the classic program's value. Load it as
 * {@code SOCKET_FILTER} (the return value is the snap length) or {@code SCHED_CLS} (where it is
 * taken as a TC action, as classic's value is). Jumps compare 32 bits, as classic does.
 *
 * <h2>Direct packet access: {@link #xdp}, {@link #tc} and {@link #emitFragment}</h2>
 * Loads go through the context's {@code data}/{@code data_end} pointers with bounds checks. A run
 * of constant-offset loads in a straight line (a basic block) shares one check at its start, and a
 * block whose every predecessor already checked enough has none (as cloudflare's cbpfc does); that
 * is exact, because a failed load anywhere in a block makes the filter return 0. An indirect load
 * {@code [x + k]} computes the offset in 32 bits (wrapping like classic), bounds it to the
 * verifier's 64 KiB packet limit and checks it against {@code data_end}. Wherever classic BPF would
 * return 0 (a load outside the packet, a division by X = 0) the result is "no match". The return
 * value becomes a verdict: non-zero gives the match action, zero the no-match action. Loads from
 * {@code SKF_LL_OFF + n} read data offset n (data is the link-layer header for XDP and TC);
 * {@code SKF_NET_OFF} loads are refused. Only the linear part of a socket buffer is visible on TC
 * ({@code ld #len} still reads {@code skb->len}). Ancillary loads: on TC, proto, type, ifidx, mark,
 * queue, rxhash, vlan_tci, vlanp, vlan_tpid, xor_x; on XDP, ifidx (the ingress device), queue and
 * xor_x; others are refused with {@link CbpfException}.
 *
 * <h2>The fragment's register contract</h2>
 * {@link #emitFragment} emits the filter into the caller's {@link Assembler} so a larger program
 * can use it as a predicate. On entry: {@code r1} = the context ({@code __sk_buff} or
 * {@code xdp_md}), {@code r2} = packet data, {@code r3} = packet end (as loaded from the context).
 * Every path ends by jumping to the match or the no-match label, which the caller defines after
 * the fragment. The fragment writes {@code r0}, {@code r4} (A) and {@code r5} (X) and the 64 bytes
 * of stack from {@code scratchOffset} (M[k] at {@code r10 + scratchOffset + 4k}); it keeps
 * {@code r1}, {@code r2}, {@code r3} and {@code r6}-{@code r9}, and calls no helper.
 */
public final class CbpfConverter {
    /** {@code XDP_DROP}. */
    public static final int XDP_DROP = 1;
    /** {@code XDP_PASS}. */
    public static final int XDP_PASS = 2;
    /** {@code TC_ACT_OK}. */
    public static final int TC_ACT_OK = 0;
    /** {@code TC_ACT_SHOT}. */
    public static final int TC_ACT_SHOT = 2;
    /** The default place of the fragment's scratch memory: the 64 bytes below the frame pointer. */
    public static final int DEFAULT_SCRATCH_OFFSET = -64;

    /** The context a direct-access filter runs in. */
    public enum Hook {
        /** An XDP program ({@code struct xdp_md}). */
        XDP,
        /** A TC program, {@code SCHED_CLS} or {@code SCHED_ACT} ({@code struct __sk_buff}). */
        TC
    }

    /**
     * What an emitted fragment jumps to, so the caller defines only labels that are reached (the
     * verifier refuses unreachable instructions).
     *
     * @param reachesMatch whether some path jumps to the match label
     * @param reachesNoMatch whether some path jumps to the no-match label
     */
    public record Exits(boolean reachesMatch, boolean reachesNoMatch) {
    }

    private CbpfConverter() {
    }

    /**
     * The kernel-style conversion (LD_ABS/LD_IND), returning the classic program's value; for
     * {@code SOCKET_FILTER} and {@code SCHED_CLS} programs.
     *
     * @throws CbpfException if the program is not valid, or uses an ancillary field with no
     *         {@code __sk_buff} equivalent (hatype, nla, nlan, poff)
     */
    public static List<Insn> socketFilter(CbpfProgram program) {
        Assembler asm = new Assembler();
        new Lowering(program, Lowering.Style.LEGACY, Lowering.Ctx.SKB, asm, "cbpf_", DEFAULT_SCRATCH_OFFSET, null, null)
                .emit();
        return asm.build();
    }

    /** An XDP program: {@link #XDP_PASS} when the filter matches, {@link #XDP_DROP} when not. */
    public static List<Insn> xdp(CbpfProgram program) {
        return xdp(program, XDP_PASS, XDP_DROP);
    }

    /** An XDP program returning {@code matchAction} when the filter returns non-zero, else {@code noMatchAction}. */
    public static List<Insn> xdp(CbpfProgram program, int matchAction, int noMatchAction) {
        return whole(program, Hook.XDP, matchAction, noMatchAction);
    }

    /** A TC ({@code SCHED_CLS}) program: {@link #TC_ACT_OK} when the filter matches, {@link #TC_ACT_SHOT} when not. */
    public static List<Insn> tc(CbpfProgram program) {
        return tc(program, TC_ACT_OK, TC_ACT_SHOT);
    }

    /** A TC program returning {@code matchAction} when the filter returns non-zero, else {@code noMatchAction}. */
    public static List<Insn> tc(CbpfProgram program, int matchAction, int noMatchAction) {
        return whole(program, Hook.TC, matchAction, noMatchAction);
    }

    private static List<Insn> whole(CbpfProgram program, Hook hook, int matchAction, int noMatchAction) {
        Assembler asm = new Assembler();
        boolean xdp = hook == Hook.XDP;
        asm.load(Size.W, Reg.R2, Reg.R1, xdp ? Lowering.XDP_DATA : Lowering.SKB_DATA);
        asm.load(Size.W, Reg.R3, Reg.R1, xdp ? Lowering.XDP_DATA_END : Lowering.SKB_DATA_END);
        Exits exits = emitFragment(asm, program, hook, "cbpf_", "cbpf_match", "cbpf_nomatch", DEFAULT_SCRATCH_OFFSET);
        if (exits.reachesMatch()) {
            asm.label("cbpf_match").mov32(Reg.R0, matchAction).exit();
        }
        if (exits.reachesNoMatch()) {
            asm.label("cbpf_nomatch").mov32(Reg.R0, noMatchAction).exit();
        }
        return asm.build();
    }

    /**
     * Emits {@code program} as a predicate into {@code asm} (see the register contract in the class
     * comment). Labels the fragment defines start with {@code labelPrefix}.
     *
     * @param asm where to emit
     * @param program a valid classic program
     * @param hook the context the code will run in
     * @param labelPrefix a prefix, unique in {@code asm}, for the fragment's own labels
     * @param matchLabel where a non-zero return jumps (the caller defines it)
     * @param noMatchLabel where a zero return, a failed load or a division by zero jumps
     * @param scratchOffset the stack offset of M[0], a multiple of 8 from -512 to -64
     * @return which of the two labels are reached
     * @throws CbpfException if the program is not valid or uses what direct access cannot do
     */
    public static Exits emitFragment(Assembler asm, CbpfProgram program, Hook hook, String labelPrefix,
            String matchLabel, String noMatchLabel, int scratchOffset) {
        if (scratchOffset > -64 || scratchOffset < -512 || scratchOffset % 8 != 0) {
            throw new IllegalArgumentException("scratch offset " + scratchOffset + " must be a multiple of 8 in -512..-64");
        }
        Lowering l = new Lowering(program, Lowering.Style.DIRECT, hook == Hook.XDP ? Lowering.Ctx.XDP : Lowering.Ctx.SKB,
                asm, labelPrefix, scratchOffset, matchLabel, noMatchLabel);
        l.emit();
        return new Exits(l.usedMatch(), l.usedNoMatch());
    }
}
