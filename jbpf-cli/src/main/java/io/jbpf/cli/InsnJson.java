package io.jbpf.cli;

import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Instructions as JSON, one object per instruction, in the shape of bpftool's {@code prog dump xlated -j}. */
final class InsnJson {
    private InsnJson() {}

    static List<Map<String, Object>> of(List<Insn> insns, Disassembler d, ByteOrder order) {
        List<Map<String, Object>> json = new ArrayList<>();
        byte[] bytes = InsnCodec.encode(insns, order);
        int slot = 0;
        for (Insn insn : insns) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("slot", slot);
            m.put("disasm", d.format(insn));
            m.put("opcodes", Map.of("code", String.format("0x%02x", bytes[slot * 8] & 0xff),
                    "bytes", Hex.format(bytes, slot * 8, insn.slots() * 8)));
            json.add(m);
            slot += insn.slots();
        }
        return json;
    }
}
