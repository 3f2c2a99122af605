package io.jbpf.core.asm;

import io.jbpf.core.testing.LlvmToolchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiles the C programs in {@code native/testdata/asm} with clang for both byte orders
 * ({@code -target bpfel}, {@code -target bpfeb}) with the flags on their {@code // cflags:} line,
 * and checks each code section against {@code llvm-objdump -d --mattr=+alu32} of the same LLVM:
 * <ol>
 *   <li>our decoder and {@link Disassembler} print the same lines llvm-objdump prints;</li>
 *   <li>our {@link AsmParser} reads llvm-objdump's lines back into the section's exact bytes.</li>
 * </ol>
 * Normalisation of llvm-objdump's lines, the only differences allowed: the leading
 * {@code "  12:\t"} slot address is removed, the {@code " <label+0x10>"} annotation after jump
 * targets is removed, and runs of whitespace become one space. ({@code --mattr=+alu32} makes LLVM
 * print {@code wN} for sub-64-bit loads, stores and atomics, as we do; without it LLVM 19 prints
 * 32-bit fetching atomics wrongly as {@code lock ... +=}.) The sources avoid BPF-to-BPF calls, which
 * LLVM prints as {@code call -0x1} like helper calls, while we print {@code call pc-0x1}.
 *
 * <p>Needs clang 17+ with the matching llvm-objdump and llvm-objcopy (Debian: {@code clang-19
 * llvm-19}). Without them the test is skipped, unless {@code JBPF_REQUIRE_KERNEL=1}, when it fails.
 */
class ClangCompatibilityTest {
    private static final Pattern SECTION = Pattern.compile("^Disassembly of section (\\S+):$");
    private static final Pattern INSN_LINE = Pattern.compile("^\\s*\\d+:\\s+(.*)$");
    private static final Pattern TARGET_NOTE = Pattern.compile("\\s+<[^<>\\s]*>$");

    private static final Optional<LlvmToolchain> FOUND = LlvmToolchain.find();

    private LlvmToolchain tools;

    @TempDir
    Path tmp;

    @BeforeEach
    void requireLlvmToolchain() {
        Optional<LlvmToolchain> found = FOUND;
        if (found.isEmpty()) {
            String why = "clang 17+ with the matching llvm-objdump and llvm-objcopy is not installed"
                    + " (Debian: apt-get install clang-19 llvm-19)";
            if ("1".equals(System.getenv("JBPF_REQUIRE_KERNEL"))) {
                fail(why + ", and JBPF_REQUIRE_KERNEL=1 requires it");
            }
            Assumptions.abort(why + "; skipping");
        }
        tools = found.get();
    }

    static Stream<Arguments> objects() throws IOException {
        Path dir = sourceDir();
        List<Arguments> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path c : files.filter(p -> p.toString().endsWith(".c")).sorted().collect(Collectors.toList())) {
                out.add(Arguments.of(c.getFileName().toString(), "bpfel", ByteOrder.LITTLE_ENDIAN));
                out.add(Arguments.of(c.getFileName().toString(), "bpfeb", ByteOrder.BIG_ENDIAN));
            }
        }
        assertThat(out).as("C sources in %s", dir).isNotEmpty();
        return out.stream();
    }

    private static Path sourceDir() {
        Path p = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        for (; p != null; p = p.getParent()) {
            Path candidate = p.resolve("native/testdata/asm");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("native/testdata/asm not found above " + System.getProperty("user.dir"));
    }

    @ParameterizedTest(name = "{0} -target {1}")
    @MethodSource("objects")
    void matchesLlvm(String source, String target, ByteOrder order) throws IOException {
        Path c = sourceDir().resolve(source);
        Path obj = tmp.resolve(source.replace(".c", "." + target + ".o"));
        List<String> compile = new ArrayList<>(List.of(tools.clang, "-g0", "-target", target, "-c"));
        compile.addAll(cflags(c));
        compile.addAll(List.of(c.toString(), "-o", obj.toString()));
        LlvmToolchain.run(compile, tmp);

        String dump = LlvmToolchain.run(List.of(tools.objdump, "-d", "--no-show-raw-insn", "--mattr=+alu32",
                obj.toString()), tmp);
        List<Section> sections = sections(dump);
        assertThat(sections).as("code sections of %s", source).isNotEmpty();
        for (Section s : sections) {
            assertThat(s.lines).as("instructions of section %s", s.name).isNotEmpty();
            byte[] bytes = sectionBytes(obj, s.name);
            List<Insn> decoded = InsnCodec.decode(bytes, order);

            assertThat(Disassembler.create().lines(decoded))
                    .as("our disassembly of section %s of %s (%s)", s.name, source, target)
                    .isEqualTo(s.lines);
            assertThat(InsnCodec.encode(AsmParser.parse(String.join("\n", s.lines)), order))
                    .as("bytes of llvm-objdump's text of section %s of %s, parsed by us", s.name, source)
                    .isEqualTo(bytes);
        }
    }

    private static List<String> cflags(Path c) throws IOException {
        for (String line : Files.readAllLines(c)) {
            Matcher m = Pattern.compile("^//\\s*cflags:\\s*(.*)$").matcher(line.trim());
            if (m.matches()) {
                return List.of(m.group(1).trim().split("\\s+"));
            }
        }
        return List.of("-O2");
    }

    private byte[] sectionBytes(Path obj, String section) throws IOException {
        Path bin = tmp.resolve(obj.getFileName() + "." + section.replaceAll("[^A-Za-z0-9]", "_") + ".bin");
        LlvmToolchain.run(List.of(tools.objcopy, "-O", "binary", "--only-section=" + section,
                obj.toString(), bin.toString()), tmp);
        return Files.readAllBytes(bin);
    }

    private static final class Section {
        final String name;
        final List<String> lines = new ArrayList<>();

        Section(String name) {
            this.name = name;
        }
    }

    /** The instruction lines of each section, normalised as the class comment says. */
    private static List<Section> sections(String dump) {
        List<Section> out = new ArrayList<>();
        Section current = null;
        for (String raw : dump.split("\n")) {
            Matcher header = SECTION.matcher(raw.trim());
            if (header.matches()) {
                current = new Section(header.group(1));
                out.add(current);
                continue;
            }
            Matcher insn = INSN_LINE.matcher(raw);
            if (current != null && insn.matches()) {
                String text = TARGET_NOTE.matcher(insn.group(1).trim()).replaceAll("");
                current.lines.add(text.replaceAll("\\s+", " "));
            }
        }
        return out;
    }
}
