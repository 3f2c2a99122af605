package io.jbpf.cli;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf asm FILE}: assembles text (the llvm-objdump / verifier syntax) and prints the bytes. */
@Command(name = "asm", description = "Assemble a text file of eBPF instructions and print the bytes.")
final class AsmCommand implements Runnable {
    @Mixin
    OutputOptions out;

    @Mixin
    ByteOrderOption byteOrder;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "Assembly text; - for standard input.")
    String file;

    @picocli.CommandLine.Option(names = "--raw", description = "Print all bytes as one hex string.")
    boolean raw;

    @Override
    public void run() {
        String text;
        try {
            text = file.equals("-") ? new String(System.in.readAllBytes()) : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Insn> insns = AsmParser.parse(text);
        byte[] bytes = InsnCodec.encode(insns, byteOrder.order());
        PrintWriter w = spec.commandLine().getOut();
        List<String> lines = Disassembler.create().lines(insns);
        if (out.isJson()) {
            w.println(out.toJson(InsnJson.of(insns, Disassembler.create(), byteOrder.order())));
        } else if (raw) {
            w.println(Hex.format(bytes, 0, bytes.length).replace(" ", ""));
        } else {
            int slot = 0;
            for (int i = 0; i < insns.size(); i++) {
                int n = insns.get(i).slots() * 8;
                w.printf("%4d: %-47s ; %s%n", slot, Hex.format(bytes, slot * 8, n), lines.get(i));
                slot += n / 8;
            }
        }
        w.flush();
    }
}
