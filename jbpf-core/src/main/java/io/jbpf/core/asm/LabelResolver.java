package io.jbpf.core.asm;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InvalidInstructionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns assembled items into instructions, computing each label reference's slot offset. */
final class LabelResolver {
    private LabelResolver() {}

    /**
     * @param items  the instructions in order
     * @param labels each label's position: the index of the item it precedes
     */
    static List<Insn> resolve(List<Item> items, Map<String, Integer> labels) {
        int[] slotOf = new int[items.size() + 1];
        for (int i = 0; i < items.size(); i++) {
            slotOf[i + 1] = slotOf[i] + items.get(i).slots();
        }
        List<Insn> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Item item = items.get(i);
            out.add(item.insn != null ? item.insn : resolve(item, slotOf[i], labels, slotOf, items.size()));
        }
        return List.copyOf(out);
    }

    private static Insn resolve(Item item, int slot, Map<String, Integer> labels, int[] slotOf, int count) {
        Integer target = labels.get(item.label);
        if (target == null) {
            throw AssemblerException.forLabel(item.label, item.line, item.column,
                    "label '" + item.label + "' is not defined");
        }
        if (target == count) {
            throw AssemblerException.forLabel(item.label, item.line, item.column,
                    "label '" + item.label + "' is after the last instruction; nothing to jump to");
        }
        long offset = (long) slotOf[target] - slot - 1;
        try {
            if (offset != (int) offset) {
                throw new InvalidInstructionException("offset " + offset + " does not fit in 32 bits");
            }
            return item.make.apply((int) offset);
        } catch (InvalidInstructionException e) {
            throw AssemblerException.forLabel(item.label, item.line, item.column,
                    "label '" + item.label + "' is out of range: " + e.problem());
        }
    }
}
