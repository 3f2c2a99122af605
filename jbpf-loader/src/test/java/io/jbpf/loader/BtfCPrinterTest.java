package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfCPrinter;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.testing.LlvmToolchain;
import io.jbpf.loader.elf.ElfFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The C that {@link BtfCPrinter} prints compiles with clang ({@code -Werror}), keeps every layout
 * (static assertions on the size and member offsets of each struct), and has the same declarations
 * as {@code bpftool btf dump ... format c}. What differs from bpftool: the place of some forward
 * declarations and typedefs, and how padding is spelled ({@code long: 56;} where bpftool relies on
 * natural alignment, no {@code int: 0;} markers) — compared here without the padding lines, sorted.
 */
class BtfCPrinterTest {
    static final Path ELF = BpfObjectTest.SOURCE.getParent();
    private static final Pattern PADDING = Pattern.compile("\\s*(long|int|short|char): \\d+;");

    @ParameterizedTest
    @ValueSource(strings = {"relocs.bpf.c", "features.bpf.c", "map_in_map.bpf.c", "externs.bpf.c", "attach.bpf.c",
            "legacy_maps.bpf.c"})
    void ourObjectsBtfPrintsAsCThatCompilesWithTheirLayouts(String source, @TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        Path obj = tools.compileBpf(ELF.resolve(source), dir);
        Btf btf = objectBtf(obj);
        String c = BtfCPrinter.print(btf);
        compiles(tools, dir, c + layoutAssertions(btf));
        String theirs = LlvmToolchain.run(List.of("bpftool", "btf", "dump", "file", obj.toString(), "format", "c"), null);
        assertThat(declarations(c)).isEqualTo(declarations(body(theirs)));
    }

    @Test
    void theKernelsBtfPrintsAsAVmlinuxHThatCompilesAndBuildsACoreProgram(@TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        Optional<Btf> kernel = Btf.kernel();
        Assumptions.assumeTrue(kernel.isPresent(), "this kernel has no /sys/kernel/btf/vmlinux");
        StringBuilder header = new StringBuilder();
        BtfCPrinter.printHeader(kernel.get(), "__VMLINUX_H__", header);
        String h = header.toString();
        assertThat(h).startsWith("#ifndef __VMLINUX_H__").contains("struct task_struct {").contains("typedef __u32 u32;");
        String assertions = layoutAssertions(kernel.get());
        assertThat(assertions).contains("sizeof(struct task_struct) == ");
        compiles(tools, dir, h + assertions);

        String theirs = LlvmToolchain.run(List.of("bpftool", "btf", "dump", "file", "/sys/kernel/btf/vmlinux", "format",
                "c"), null);
        // the same definitions under the same names (___N suffixes included); of the other lines, a few
        // forward declarations and whether some structs say packed (ours do where their BTF layout needs
        // it, with the layout assertions above to show it is right)
        assertThat(definitions(h)).isEqualTo(definitions(theirs));
        List<String> ours = declarations(h);
        List<String> bpftool = declarations(theirs);
        assertThat(ours.size()).isCloseTo(bpftool.size(), org.assertj.core.data.Percentage.withPercentage(0.1));
        Map<String, Integer> counts = new HashMap<>();
        ours.forEach(l -> counts.merge(l, 1, Integer::sum));
        bpftool.forEach(l -> counts.merge(l, -1, Integer::sum));
        List<String> onlyOurs = counts.entrySet().stream().filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
        assertThat(onlyOurs.size()).as("lines only we print: %s", onlyOurs).isLessThan(ours.size() / 1000);

        // our vmlinux.h builds the CO-RE test program, and the loader relocates it
        Files.writeString(dir.resolve("vmlinux.h"), h);
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86" : System.getProperty("os.arch");
        Path obj = tools.compileBpf(ELF.resolve("core.bpf.c"), dir, "-D__TARGET_ARCH_" + arch, "-I" + dir);
        assertThat(ObjectSpec.open(obj).programs()).isNotEmpty();
    }

    /** Found by fuzzing: a struct of 256 MiB with two ints printed 32 million padding lines (and ran out of memory). */
    @Test
    void aHugeGapPrintsAsOneByteArrayWithTheSameLayout(@TempDir Path dir) throws Exception {
        List<BtfType> types = List.of(new BtfType.Void(),
                new BtfType.Int(1, "int", 4, true, false, false, 0, 32),
                new BtfType.Struct(2, "huge", false, 1 << 28, List.of(
                        new BtfType.Member("a", 1, 0, 0),
                        new BtfType.Member("b", 1, 100_000 * 8, 0),
                        new BtfType.Member("c", 1, 100_004 * 8 + 8, 8))));
        Btf btf = Btf.parse(io.jbpf.core.btf.BtfWriter.write(types, java.nio.ByteOrder.nativeOrder()));
        String c = BtfCPrinter.print(btf);
        assertThat(c).contains("char __pad_4[99996];").contains("int b;").contains("int c: 8;")
                .contains("char __pad_100006[268335450];");
        assertThat(c.lines().count()).isLessThan(20);
        compiles(LlvmToolchain.require(), dir, c + layoutAssertions(btf));
    }

    static Btf objectBtf(Path obj) throws Exception {
        ElfFile elf = ElfFile.parse(Files.readAllBytes(obj));
        return Btf.parse(elf.bytes(elf.section(".BTF").orElseThrow()));
    }

    static void compiles(LlvmToolchain tools, Path dir, String c) throws Exception {
        Path file = Files.writeString(dir.resolve("printed.c"), c);
        LlvmToolchain.run(List.of(tools.clang, "-fsyntax-only", "-Werror", "-target", "bpf", "-x", "c", file.toString()),
                null);
    }

    /** {@code _Static_assert}s of the size and member offsets of every struct whose name is used once. */
    static String layoutAssertions(Btf btf) {
        Map<String, Integer> uses = new HashMap<>();
        for (BtfType t : btf.types()) {
            if ((t instanceof BtfType.Struct || t instanceof BtfType.Enum || t instanceof BtfType.Fwd) && !t.name().isEmpty()) {
                uses.merge(t.name(), 1, Integer::sum);
            }
        }
        StringBuilder b = new StringBuilder("\n");
        int n = 0;
        for (BtfType t : btf.types()) {
            if (!(t instanceof BtfType.Struct s) || s.name().isEmpty() || uses.get(s.name()) != 1
                    || holdsVaList(btf, s.id(), 0)) {
                continue;
            }
            String type = (s.union() ? "union " : "struct ") + s.name();
            b.append("_Static_assert(sizeof(").append(type).append(") == ").append(s.size()).append(", \"")
                    .append(type).append("\");\n");
            for (BtfType.Member m : s.members()) {
                if (!m.name().isEmpty() && m.bitfieldSize() == 0 && m.bitOffset() % 8 == 0) {
                    b.append("_Static_assert(__builtin_offsetof(").append(type).append(", ").append(m.name())
                            .append(") == ").append(m.bitOffset() / 8).append(", \"").append(type).append('.')
                            .append(m.name()).append("\");\n");
                }
            }
            n++;
        }
        return b.toString();
    }

    /**
     * Whether type {@code id} holds a {@code va_list} by value: its size in BTF is the kernel's
     * (24 bytes on x86-64), but for {@code -target bpf} clang's builtin is a pointer, for bpftool's
     * header as for ours.
     */
    static boolean holdsVaList(Btf btf, int id, int depth) {
        BtfType t = btf.type(id);
        if (depth > 64) {
            return false;
        }
        if (t instanceof BtfType.Modifier m) {
            return m.name().equals("__builtin_va_list") || holdsVaList(btf, m.type(), depth + 1);
        } else if (t instanceof BtfType.Array a) {
            return holdsVaList(btf, a.elementType(), depth + 1);
        } else if (t instanceof BtfType.Struct s) {
            return s.members().stream().anyMatch(m -> holdsVaList(btf, m.type(), depth + 1));
        }
        return false;
    }

    /** bpftool's output without its header guard and pragmas (those that {@link BtfCPrinter#print} leaves out). */
    static String body(String header) {
        int start = header.indexOf("#endif\n\n") + "#endif\n\n".length();
        int end = header.lastIndexOf("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX");
        return header.substring(start, end);
    }

    /** The top-level definitions' first lines ({@code struct X {}, {@code typedef ... Y;}), sorted. */
    static List<String> definitions(String c) {
        List<String> lines = new ArrayList<>();
        for (String l : c.split("\n")) {
            if (l.startsWith("typedef ") || ((l.startsWith("struct ") || l.startsWith("union ") || l.startsWith("enum "))
                    && l.endsWith(" {"))) {
                lines.add(l);
            }
        }
        lines.sort(null);
        return lines;
    }

    /** The non-blank, non-padding lines, sorted: the same declarations and members, in any order. */
    static List<String> declarations(String c) {
        List<String> lines = new ArrayList<>();
        for (String l : c.split("\n")) {
            if (!l.isBlank() && !PADDING.matcher(l).matches()) {
                lines.add(l);
            }
        }
        lines.sort(null);
        return lines;
    }
}
