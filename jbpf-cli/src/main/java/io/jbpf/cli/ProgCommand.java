package io.jbpf.cli;

import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.prog.ProgramInfo;
import java.nio.ByteOrder;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf prog list|show ID}: loaded programs, as {@code bpftool prog} prints them. */
@Command(name = "prog", description = "Inspect loaded programs.", subcommands = {ProgCommand.ListCmd.class,
        ProgCommand.ShowCmd.class, ProgCommand.DumpCmd.class})
final class ProgCommand {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssZ")
            .withZone(ZoneId.systemDefault());

    static Map<String, Object> toJson(ProgramInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id());
        m.put("type", p.type().name().toLowerCase(Locale.ROOT));
        m.put("name", p.name());
        m.put("tag", p.tag());
        m.put("gpl_compatible", p.gplCompatible());
        m.put("loaded_at", p.loadedAt().getEpochSecond());
        m.put("uid", p.uid());
        m.put("bytes_xlated", p.translatedInstructions() * 8);
        m.put("jited", p.jitedBytes() > 0);
        m.put("bytes_jited", p.jitedBytes());
        m.put("verified_insns", p.verifiedInstructions());
        m.put("map_ids", p.mapIds());
        if (p.btfId() != 0) {
            m.put("btf_id", p.btfId());
        }
        return m;
    }

    static void print(PrintWriter w, ProgramInfo p) {
        w.printf("%d: %s  name %s  tag %s%s%n", p.id(), p.type().name().toLowerCase(Locale.ROOT), p.name(), p.tag(),
                p.gplCompatible() ? "  gpl" : "");
        w.printf("\tloaded_at %s  uid %d%n", TIME.format(p.loadedAt()), p.uid());
        w.printf("\txlated %dB  %s  verified_insns %d%n", p.translatedInstructions() * 8,
                p.jitedBytes() > 0 ? "jited " + p.jitedBytes() + "B" : "not jited", p.verifiedInstructions());
        if (!p.mapIds().isEmpty()) {
            w.printf("\tmap_ids %s%n", p.mapIds().toString().replaceAll("[\\[\\] ]", ""));
        }
        if (p.btfId() != 0) {
            w.printf("\tbtf_id %d%n", p.btfId());
        }
    }

    @Command(name = "dump", description = "Disassemble a loaded program as the kernel translated it (xlated).")
    static final class DumpCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The program's id.")
        int id;

        @Override
        public void run() {
            PrintWriter w = spec.commandLine().getOut();
            List<Insn> insns = InsnCodec.decode(ProgramInfo.translatedCodeOfId(id), ByteOrder.nativeOrder());
            Disassembler d = Disassembler.create().withHelperNames(true);
            if (out.isJson()) {
                w.println(out.toJson(InsnJson.of(insns, d, ByteOrder.nativeOrder())));
            } else {
                w.print(d.withSlotNumbers(true).disassemble(insns));
            }
            w.flush();
        }
    }

    /** One program, as text or as a JSON object. */
    static void show(OutputOptions out, PrintWriter w, ProgramInfo p) {
        if (out.isJson()) {
            w.println(out.toJson(toJson(p)));
        } else {
            print(w, p);
        }
    }

    @Command(name = "list", aliases = "show-all", description = "List every loaded program.")
    static final class ListCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Listing.print(out, spec.commandLine().getOut(), ProgramInfo.ids(), ProgramInfo::ofId, ProgCommand::toJson,
                    ProgCommand::print);
        }
    }

    @Command(name = "show", description = "Show one loaded program.")
    static final class ShowCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The program's id.")
        int id;

        @Override
        public void run() {
            PrintWriter w = spec.commandLine().getOut();
            show(out, w, ProgramInfo.ofId(id));
            w.flush();
        }
    }
}
