package io.jbpf.loader.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.LlvmToolchain;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects embedded among other bytes, as skeletons embed them, come out whole and exact. */
class EmbeddedBpfObjectsTest {
    static final Path SOURCE = Path.of("..", "native", "testdata", "elf", "relocs.bpf.c").toAbsolutePath().normalize();

    static byte[] compile(LlvmToolchain tools, Path dir, String target) throws Exception {
        Path out = dir.resolve("relocs-" + target + ".o");
        String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
        LlvmToolchain.run(List.of(tools.clang, "-O2", "-g", "-target", target, "-I/usr/include/" + arch + "-linux-gnu",
                "-c", SOURCE.toString(), "-o", out.toString()), null);
        return Files.readAllBytes(out);
    }

    /** An ELF header of another machine, or of BPF with a section header table that is not there. */
    static byte[] header(int machine, long shoff) {
        ByteBuffer b = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 1).putShort(18, (short) machine).putLong(40, shoff).putShort(52, (short) 64)
                .putShort(58, (short) 64).putShort(60, (short) 3);
        return b.array();
    }

    @Test
    void findsEachObjectOfEitherByteOrderAmongOtherBytes(@TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        byte[] el = compile(tools, dir, "bpfel");
        byte[] eb = compile(tools, dir, "bpfeb");
        Random random = new Random(4);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(header(62, 1 << 20)); // the host program's own header (x86-64)
        byte[] noise = new byte[5000];
        random.nextBytes(noise);
        file.writeBytes(noise);
        long atEl = file.size();
        file.writeBytes(el);
        file.writeBytes(header(247, 1L << 40)); // BPF, but its section headers lie past the end
        file.writeBytes("\u007fELF".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)); // truncated
        random.nextBytes(noise);
        file.writeBytes(noise);
        long atEb = file.size();
        file.writeBytes(eb);
        file.writeBytes(new byte[] {0x7f, 'E', 'L'});

        List<EmbeddedBpfObjects.Found> found = EmbeddedBpfObjects.find(file.toByteArray());

        assertThat(found).extracting(EmbeddedBpfObjects.Found::offset).containsExactly(atEl, atEb);
        assertThat(found.get(0).bytes()).isEqualTo(el);
        assertThat(found.get(1).bytes()).isEqualTo(eb);
        assertThat(io.jbpf.loader.ObjectSpec.open(found.get(0).bytes()).programs()).isNotEmpty();
    }

    @Test
    void aSectionAfterTheSectionHeaderTableBelongsToTheObject(@TempDir Path dir) throws Exception {
        byte[] el = compile(LlvmToolchain.require(), dir, "bpfel");
        // clang puts the section header table last; move a section's bytes after it
        byte[] moved = java.util.Arrays.copyOf(el, el.length + 48 + 100);
        ByteBuffer h = ByteBuffer.wrap(moved).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = h.getLong(40);
        int shnum = Short.toUnsignedInt(h.getShort(60));
        int moves = -1;
        for (int i = 1; i < shnum && moves < 0; i++) {
            int sh = (int) (shoff + i * 64L);
            if (h.getInt(sh + 4) != 8 && h.getLong(sh + 32) >= 48) {
                moves = sh;
            }
        }
        assertThat(moves).isPositive();
        h.putLong(moves + 24, el.length).putLong(moves + 32, 48);
        java.util.Arrays.fill(moved, el.length + 48, moved.length, (byte) 0x7f); // what follows the object

        assertThat(EmbeddedBpfObjects.objectLength(el, 0)).isEqualTo(el.length);
        assertThat(EmbeddedBpfObjects.objectLength(moved, 0)).isEqualTo(el.length + 48);
        assertThat(EmbeddedBpfObjects.find(moved)).singleElement()
                .satisfies(f -> assertThat(f.bytes()).hasSize(el.length + 48));
    }
}
