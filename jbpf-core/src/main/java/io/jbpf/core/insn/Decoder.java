package io.jbpf.core.insn;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns raw words into instructions, rejecting what the kernel would reject as malformed: unknown
 * opcodes, registers above r10, and non-zero fields an instruction does not use.
 */
final class Decoder {
    private final List<RawInsn> words;
    private int slot;

    private Decoder(List<RawInsn> words) {
        this.words = words;
    }

    static List<Insn> decode(List<RawInsn> words) {
        Decoder d = new Decoder(words);
        List<Insn> out = new ArrayList<>(words.size());
        while (d.slot < words.size()) {
            int at = d.slot;
            try {
                Insn insn = d.next();
                out.add(insn);
                d.slot += insn.slots();
            } catch (InvalidInstructionException e) {
                throw e.at(at);
            }
        }
        return out;
    }

    private Insn next() {
        RawInsn w = words.get(slot);
        switch (InsnClass.ofOpcode(w.opcode())) {
            case ALU:
            case ALU64:
                return AluDecoder.decode(w);
            case JMP:
            case JMP32:
                return JumpDecoder.decode(w);
            case LD:
                return ld(w);
            default:
                return MemDecoder.decode(w);
        }
    }

    private Insn ld(RawInsn w) {
        if (w.opcode() != Opcodes.LD_IMM64) {
            return MemDecoder.decode(w);
        }
        Fields.zero(w, "64-bit immediate load", Fields.OFF);
        Reg dst = Fields.reg(w.dst(), "dst");
        if (slot + 1 >= words.size()) {
            throw new InvalidInstructionException(
                    "truncated: the 64-bit immediate load has no second slot");
        }
        RawInsn hi = words.get(slot + 1);
        if (hi.opcode() != 0 || hi.dst() != 0 || hi.src() != 0 || hi.offset() != 0) {
            throw new InvalidInstructionException("the second slot of a 64-bit immediate load must be"
                    + " zero except its immediate, found opcode 0x" + Integer.toHexString(hi.opcode())
                    + " dst " + hi.dst() + " src " + hi.src() + " off " + hi.offset());
        }
        if (w.src() == 0) {
            return new LoadImm64(dst, (w.imm() & 0xffffffffL) | ((long) hi.imm() << 32));
        }
        PseudoSource source = PseudoSource.of(w.src());
        if (source == null) {
            throw new InvalidInstructionException(
                    "unknown pseudo source " + w.src() + " of a 64-bit immediate load (0..6)");
        }
        return new LoadPseudo(dst, source, w.imm(), hi.imm());
    }
}
