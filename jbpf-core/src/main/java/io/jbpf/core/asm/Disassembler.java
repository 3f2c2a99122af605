package io.jbpf.core.asm;

import io.jbpf.core.JbpfException;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InvalidInstructionException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes instructions as text, one per line, in the syntax {@code llvm-objdump -d --mattr=+alu32}
 * prints (LLVM 17+), which {@link AsmParser} reads back: {@code AsmParser.parse(disassemble(p))}
 * encodes to the same bytes as {@code p}.
 *
 * <p>What LLVM prints alike but the encoding tells apart gets its own form here (documented in
 * {@link AsmParser}): BPF-to-BPF calls ({@code call pc+0x3}), kfunc calls
 * ({@code call kfunc[1234]}), the pseudo sources of 64-bit loads ({@code r1 = map[fd:5] ll}),
 * symbolic map references ({@code r1 = map[name] ll}) and raw words ({@code .raw ...}).
 *
 * <p>Immutable; the {@code with} methods return a changed copy.
 */
public final class Disassembler {
    private final boolean slotNumbers;
    private final boolean helperNames;
    private final NumberStyle numbers;

    private Disassembler(boolean slotNumbers, boolean helperNames, NumberStyle numbers) {
        this.slotNumbers = slotNumbers;
        this.helperNames = helperNames;
        this.numbers = numbers;
    }

    /** LLVM's form: hex numbers, helper calls by number, no slot numbers. */
    public static Disassembler create() {
        return new Disassembler(false, false, NumberStyle.HEX);
    }

    /** Prefix each line with its slot number, {@code "   4: "}, as llvm-objdump and bpftool do. */
    public Disassembler withSlotNumbers(boolean on) {
        return new Disassembler(on, helperNames, numbers);
    }

    /** Write known helper calls by name ({@code call bpf_map_lookup_elem}) instead of number. */
    public Disassembler withHelperNames(boolean on) {
        return new Disassembler(slotNumbers, on, numbers);
    }

    /** Write immediates and offsets in hex (the default) or decimal. */
    public Disassembler withNumbers(NumberStyle style) {
        if (style == null) {
            throw new JbpfException("number style is null");
        }
        return new Disassembler(slotNumbers, helperNames, style);
    }

    /** One instruction, without slot number. */
    public String format(Insn insn) {
        if (insn == null) {
            throw new InvalidInstructionException("instruction is null");
        }
        return insn.accept(new InsnPrinter(numbers, helperNames));
    }

    /** One line per instruction. */
    public List<String> lines(List<? extends Insn> insns) {
        if (insns == null) {
            throw new InvalidInstructionException("the instruction list is null");
        }
        InsnPrinter printer = new InsnPrinter(numbers, helperNames);
        List<String> out = new ArrayList<>(insns.size());
        int slot = 0;
        for (Insn insn : insns) {
            if (insn == null) {
                throw new InvalidInstructionException(out.size(), "instruction is null");
            }
            String text = insn.accept(printer);
            out.add(slotNumbers ? String.format("%4d: %s", slot, text) : text);
            slot += insn.slots();
        }
        return out;
    }

    /** The whole program, each line ending in a newline. */
    public String disassemble(List<? extends Insn> insns) {
        StringBuilder sb = new StringBuilder();
        for (String line : lines(insns)) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
