package io.jbpf.core.asm;

import io.jbpf.core.insn.Insn;
import java.util.function.IntFunction;

/**
 * One instruction being assembled: either final, or waiting for a label's position. A waiting
 * item makes its instruction from the offset (in slots, relative to the next slot) to the label.
 */
final class Item {
    final Insn insn;
    final String label;
    final IntFunction<Insn> make;
    final int line;
    final int column;

    private Item(Insn insn, String label, IntFunction<Insn> make, int line, int column) {
        this.insn = insn;
        this.label = label;
        this.make = make;
        this.line = line;
        this.column = column;
    }

    static Item of(Insn insn) {
        return new Item(insn, null, null, 0, 0);
    }

    static Item pending(String label, IntFunction<Insn> make, int line, int column) {
        return new Item(null, label, make, line, column);
    }

    int slots() {
        return insn != null ? insn.slots() : make.apply(0).slots();
    }
}
