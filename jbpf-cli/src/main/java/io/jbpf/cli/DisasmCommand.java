package io.jbpf.cli;

import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf disasm HEX}: prints instructions given as hex bytes in the text syntax. */
@Command(name = "disasm", description = "Disassemble eBPF instructions given as hex bytes.")
final class DisasmCommand implements Runnable {
    @Mixin
    OutputOptions out;

    @Mixin
    ByteOrderOption byteOrder;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "HEX", arity = "1..*", description = "Instruction bytes in hex (spaces allowed).")
    List<String> hex;

    @Option(names = "--no-slots", description = "Do not number the instructions.")
    boolean noSlots;

    @Override
    public void run() {
        byte[] bytes = Hex.parse(String.join("", hex));
        List<Insn> insns = InsnCodec.decode(bytes, byteOrder.order());
        PrintWriter w = spec.commandLine().getOut();
        Disassembler d = Disassembler.create().withHelperNames(true);
        if (out.isJson()) {
            w.println(out.toJson(InsnJson.of(insns, d, byteOrder.order())));
        } else {
            w.print(d.withSlotNumbers(!noSlots).disassemble(insns));
        }
        w.flush();
    }
}
