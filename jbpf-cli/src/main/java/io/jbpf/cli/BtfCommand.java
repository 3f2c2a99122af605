package io.jbpf.cli;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfCPrinter;
import io.jbpf.core.btf.BtfType;
import io.jbpf.loader.elf.ElfFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf btf dump FILE|--kernel [--format raw|c]}: the types of an object's or the kernel's BTF, as bpftool prints them. */
@Command(name = "btf", description = "Inspect BTF.", subcommands = BtfCommand.Dump.class)
final class BtfCommand {
    private BtfCommand() {}

    @Command(name = "dump", description = "Print every BTF type (bpftool's raw format) or the types as C (a vmlinux.h).")
    static final class Dump implements Runnable {
        static final class Source {
            @Parameters(paramLabel = "FILE", description = "An object file (its .BTF section) or a raw BTF file.")
            Path file;

            @Option(names = "--kernel", description = "The running kernel's BTF.")
            boolean kernel;
        }

        @ArgGroup(multiplicity = "1")
        Source source;

        @Option(names = "--format", defaultValue = "raw", description = "raw (default) or c")
        String format;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (!format.equals("raw") && !format.equals("c")) {
                throw new IllegalArgumentException("--format " + format + " is unknown; use raw or c");
            }
            Btf btf = source.kernel ? Btf.kernel().orElseThrow(() ->
                    new IllegalArgumentException("this kernel has no /sys/kernel/btf/vmlinux")) : read(source.file);
            PrintWriter w = spec.commandLine().getOut();
            if (format.equals("c")) {
                BtfCPrinter.printHeader(btf, "__VMLINUX_H__", w);
                w.flush();
                return;
            }
            for (BtfType t : btf.types()) {
                if (t.id() != 0) {
                    w.println(line(btf, t));
                }
            }
            w.flush();
        }

        private static Btf read(Path file) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (bytes.length > 4 && bytes[0] == 0x7f && bytes[1] == 'E') {
                ElfFile elf = ElfFile.parse(bytes);
                return Btf.parse(elf.bytes(elf.section(".BTF").orElseThrow(() ->
                        new IllegalArgumentException(file + " has no .BTF section (compile with -g)"))));
            }
            return Btf.parse(bytes);
        }

        /** As bpftool prints enumerators: ENUM64 with a ULL/LL suffix, unsigned 64-bit ones unsigned. */
        static String enumValue(BtfType.Enum e, long v) {
            if (!e.is64()) {
                return String.valueOf(v);
            }
            return e.signed() ? v + "LL" : Long.toUnsignedString(v) + "ULL";
        }

        static String line(Btf btf, BtfType t) {
            String head = "[" + t.id() + "] " + t.kind() + " '" + (t.name().isEmpty() ? "(anon)" : t.name()) + "'";
            if (t instanceof BtfType.Int i) {
                return head + " size=" + i.size() + " bits_offset=" + i.offset() + " nr_bits=" + i.bits()
                        + " encoding=" + (i.signed() ? "SIGNED" : i.isChar() ? "CHAR" : i.isBool() ? "BOOL" : "(none)");
            } else if (t instanceof BtfType.Ptr p) {
                return head + " type_id=" + p.type();
            } else if (t instanceof BtfType.Array a) {
                return head + " type_id=" + a.elementType() + " index_type_id=" + a.indexType() + " nr_elems=" + a.count();
            } else if (t instanceof BtfType.Struct s) {
                return head + " size=" + s.size() + " vlen=" + s.members().size() + s.members().stream()
                        .map(m -> "\n\t'" + (m.name().isEmpty() ? "(anon)" : m.name()) + "' type_id=" + m.type()
                                + " bits_offset=" + m.bitOffset()
                                + (m.bitfieldSize() != 0 ? " bitfield_size=" + m.bitfieldSize() : ""))
                        .collect(Collectors.joining());
            } else if (t instanceof BtfType.Enum e) {
                return head + " encoding=" + (e.signed() ? "SIGNED" : "UNSIGNED") + " size=" + e.size() + " vlen="
                        + e.values().size() + e.values().stream().map(v -> "\n\t'" + v.name() + "' val=" + enumValue(e, v.value()))
                        .collect(Collectors.joining());
            } else if (t instanceof BtfType.Fwd f) {
                return head + " fwd_kind=" + (f.union() ? "union" : "struct");
            } else if (t instanceof BtfType.Modifier m) {
                return head + " type_id=" + m.type();
            } else if (t instanceof BtfType.Func f) {
                return head + " type_id=" + f.type() + " linkage=" + new String[] {"static", "global", "extern"}[
                        Math.min(f.linkage(), 2)];
            } else if (t instanceof BtfType.FuncProto p) {
                return head + " ret_type_id=" + p.returnType() + " vlen=" + p.params().size() + p.params().stream()
                        .map(x -> "\n\t'" + (x.name().isEmpty() ? "(anon)" : x.name()) + "' type_id=" + x.type())
                        .collect(Collectors.joining());
            } else if (t instanceof BtfType.Var v) {
                return head + " type_id=" + v.type() + ", linkage=" + new String[] {"static", "global", "extern"}[
                        Math.min(v.linkage(), 2)];
            } else if (t instanceof BtfType.Datasec d) {
                return head + " size=" + d.size() + " vlen=" + d.vars().size() + d.vars().stream()
                        .map(v -> "\n\ttype_id=" + v.type() + " offset=" + v.offset() + " size=" + v.size()
                                + " (" + btf.type(v.type()).kind() + " '" + btf.type(v.type()).name() + "')")
                        .collect(Collectors.joining());
            } else if (t instanceof BtfType.Float f) {
                return head + " size=" + f.size();
            } else if (t instanceof BtfType.DeclTag d) {
                return head + " type_id=" + d.type() + " component_idx=" + d.componentIndex();
            }
            return head;
        }
    }
}
