package io.jbpf.loader.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.testing.LlvmToolchain;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads objects clang builds from native/testdata/elf in both byte orders and checks every section,
 * symbol and relocation against what llvm-readelf of the same LLVM prints.
 */
class ElfFileTest {
    static final Path SOURCE = Path.of("..", "native", "testdata", "elf", "relocs.bpf.c").toAbsolutePath().normalize();
    static LlvmToolchain tools;

    @BeforeAll
    static void toolchain() {
        tools = LlvmToolchain.require();
    }

    static Path compile(Path dir, String target) throws Exception {
        Path out = dir.resolve("relocs-" + target + ".o");
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        LlvmToolchain.run(List.of(tools.clang, "-O2", "-g", "-target", target, "-I/usr/include/" + arch + "-linux-gnu",
                "-c", SOURCE.toString(), "-o", out.toString()), null);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"bpfel", "bpfeb"})
    void sectionsSymbolsAndRelocationsMatchLlvmReadelf(String target, @TempDir Path dir) throws Exception {
        Path obj = compile(dir, target);
        ElfFile elf = ElfFile.parse(Files.readAllBytes(obj));
        assertThat(elf.order()).isEqualTo(target.equals("bpfel") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        assertThat(elf.machine()).isEqualTo(ElfFile.EM_BPF);
        assertThat(elf.type()).isEqualTo(ElfFile.ET_REL);

        // sections: [Nr] Name Type Address Off Size ES Flg Lk Inf Al
        Pattern sec = Pattern.compile("^\\s*\\[\\s*(\\d+)\\]\\s+(\\S+)\\s+(\\S+)\\s+[0-9a-f]{16}\\s+([0-9a-f]+)\\s+([0-9a-f]+)"
                + "\\s+[0-9a-f]+\\s+\\S*\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)$");
        int sections = 0;
        for (String line : LlvmToolchain.run(List.of(tools.readelf, "-S", "-W", obj.toString()), null).split("\n")) {
            Matcher m = sec.matcher(line);
            if (!m.matches()) {
                continue;
            }
            ElfSection s = elf.sections().get(Integer.parseInt(m.group(1)));
            assertThat(s.name()).isEqualTo(m.group(2));
            assertThat(s.offset()).as(s.name()).isEqualTo(Long.parseLong(m.group(4), 16));
            assertThat(s.size()).as(s.name()).isEqualTo(Long.parseLong(m.group(5), 16));
            assertThat(s.link()).as(s.name()).isEqualTo(Integer.parseInt(m.group(6)));
            assertThat(s.info()).as(s.name()).isEqualTo(Integer.parseInt(m.group(7)));
            assertThat(s.alignment()).as(s.name()).isEqualTo(Long.parseLong(m.group(8)));
            Map<String, Integer> types = Map.of("PROGBITS", 1, "SYMTAB", 2, "STRTAB", 3, "RELA", 4, "NOBITS", 8, "REL", 9);
            if (types.containsKey(m.group(3))) {
                assertThat(s.type()).as(s.name()).isEqualTo(types.get(m.group(3)));
            }
            sections++;
        }
        assertThat(sections).isEqualTo(elf.sections().size() - 1).isGreaterThan(20);
        assertThat(elf.section(".bss").orElseThrow().hasBytes()).isFalse();
        assertThat(elf.bytes(elf.section("license").orElseThrow())).containsExactly('G', 'P', 'L', 0);

        // symbols: Num: Value Size Type Bind Vis Ndx Name
        Pattern sym = Pattern.compile("^\\s*(\\d+):\\s+([0-9a-f]+)\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*(.*)$");
        int symbols = 0;
        for (String line : LlvmToolchain.run(List.of(tools.readelf, "-s", "-W", obj.toString()), null).split("\n")) {
            Matcher m = sym.matcher(line);
            if (!m.matches()) {
                continue;
            }
            ElfSymbol s = elf.symbols().get(Integer.parseInt(m.group(1)));
            String name = m.group(8).strip();
            if (s.type() != ElfSymbol.STT_SECTION) {
                assertThat(s.name()).isEqualTo(name);
            }
            assertThat(s.value()).as(name).isEqualTo(Long.parseLong(m.group(2), 16));
            assertThat(s.size()).as(name).isEqualTo(Long.parseLong(m.group(3)));
            assertThat(s.binding()).as(name).isEqualTo(Map.of("LOCAL", 0, "GLOBAL", 1, "WEAK", 2).get(m.group(5)));
            String ndx = m.group(7);
            if (ndx.matches("\\d+")) {
                assertThat(s.sectionIndex()).as(name).isEqualTo(Integer.parseInt(ndx));
            }
            symbols++;
        }
        assertThat(symbols).isEqualTo(elf.symbols().size());

        // relocations, grouped under "Relocation section '.relxdp' ..."
        List<String> ours = new ArrayList<>();
        for (ElfSection s : elf.sections()) {
            if (s.type() == ElfSection.SHT_REL || s.type() == ElfSection.SHT_RELA) {
                for (ElfRelocation r : elf.relocations(elf.sections().get(s.info()))) {
                    ours.add(s.name() + " " + r.offset() + " " + r.type() + " " + r.symbol().index());
                }
            }
        }
        List<String> theirs = new ArrayList<>();
        String current = null;
        Pattern head = Pattern.compile("^Relocation section '([^']+)'.*");
        Pattern rel = Pattern.compile("^([0-9a-f]{16})\\s+([0-9a-f]{16})\\s+\\S+.*$");
        for (String line : LlvmToolchain.run(List.of(tools.readelf, "-r", "-W", obj.toString()), null).split("\n")) {
            Matcher h = head.matcher(line);
            if (h.matches()) {
                current = h.group(1);
                continue;
            }
            Matcher m = rel.matcher(line);
            if (m.matches() && current != null) {
                long info = Long.parseUnsignedLong(m.group(2), 16);
                theirs.add(current + " " + Long.parseLong(m.group(1), 16) + " " + (int) info + " " + (info >>> 32));
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs).hasSizeGreaterThan(10);

        // the call from xdp to bump and the map load in .text, as the loader will see them
        ElfSection xdp = elf.section("xdp").orElseThrow();
        assertThat(elf.relocations(xdp)).extracting(r -> r.symbol().name() + "/" + r.type())
                .contains("packets/" + ElfRelocation.R_BPF_64_64, "limit/" + ElfRelocation.R_BPF_64_64);
        assertThat(elf.relocations(elf.section(".text").orElseThrow())).extracting(r -> r.symbol().name())
                .containsExactly("counts");
    }

    @Test
    void badInputIsATypedErrorNamingThePart() {
        assertThatThrownBy(() -> ElfFile.parse(new byte[10])).isInstanceOf(ElfException.class)
                .hasMessageContaining("shorter than the ELF header");
        byte[] notElf = new byte[64];
        assertThatThrownBy(() -> ElfFile.parse(notElf)).isInstanceOf(ElfException.class).hasMessageContaining("bad magic");
    }

    /** Fuzz: random corruptions and truncations of a real object parse or fail with ElfException, nothing else. */
    @Test
    void corruptObjectsFailCleanly(@TempDir Path dir) throws Exception {
        byte[] good = Files.readAllBytes(compile(dir, "bpfel"));
        int failures = 0;
        for (long seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            byte[] bad = r.nextInt(4) == 0 ? java.util.Arrays.copyOf(good, r.nextInt(good.length)) : good.clone();
            int flips = 1 + r.nextInt(8);
            for (int i = 0; i < flips && bad.length > 0; i++) {
                int at = r.nextInt(4) == 0 ? r.nextInt(Math.min(bad.length, 64)) : r.nextInt(bad.length);
                bad[at] = (byte) r.nextInt(256);
            }
            try {
                ElfFile elf = ElfFile.parse(bad);
                for (ElfSection s : elf.sections()) {
                    elf.bytes(s);
                    elf.relocations(s);
                }
            } catch (ElfException expected) {
                failures++;
                assertThat(expected.getMessage()).as("seed %d", seed).isNotBlank();
            } catch (RuntimeException e) {
                throw new AssertionError("seed " + seed + ": " + e, e);
            }
        }
        assertThat(failures).as("some corruptions must be detected").isGreaterThan(100);
    }
}
