package io.jbpf.core.prog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.VerifierException;
import io.jbpf.core.testing.KernelTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Programs loaded with BTF func and line info: the kernel keeps the BTF, and its log quotes source lines. */
@KernelTest
class ProgramBtfTest {

    /** Hand-written BTF: int, int(void), the function {@code prog_main}, and the strings for line info. */
    static final class TinyBtf {
        final ByteArrayOutputStream strings = new ByteArrayOutputStream();
        final ByteBuffer types = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

        TinyBtf() {
            strings.write(0);
        }

        int string(String s) {
            int off = strings.size();
            strings.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            strings.write(0);
            return off;
        }

        byte[] build() {
            byte[] t = new byte[types.position()];
            types.flip().get(t);
            byte[] s = strings.toByteArray();
            ByteBuffer b = ByteBuffer.allocate(24 + t.length + s.length).order(ByteOrder.nativeOrder());
            b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0).putInt(24);
            b.putInt(0).putInt(t.length).putInt(t.length).putInt(s.length);
            return b.put(t).put(s).array();
        }
    }

    static ProgramBtf btfFor(String file, String[] lines) {
        TinyBtf btf = new TinyBtf();
        int intName = btf.string("int");
        btf.types.putInt(intName).putInt(1 << 24).putInt(4).putInt((1 << 24) | 32); // [1] int
        btf.types.putInt(0).putInt(13 << 24).putInt(1); // [2] int (void)
        int fnName = btf.string("prog_main");
        btf.types.putInt(fnName).putInt((12 << 24) | 1).putInt(2); // [3] global func prog_main
        int fileOff = btf.string(file);
        ByteBuffer line = ByteBuffer.allocate(16 * lines.length).order(ByteOrder.nativeOrder());
        for (int i = 0; i < lines.length; i++) {
            line.putInt(i).putInt(fileOff).putInt(btf.string(lines[i])).putInt(((10 + i) << 10) | 5);
        }
        ByteBuffer func = ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(0).putInt(3);
        return new ProgramBtf(btf.build(), func.array(), 8, line.array(), 16);
    }

    @Test
    void theKernelKeepsTheBtfOfALoadedProgram() {
        byte[] code = HexFormat.of().parseHex("b700000002000000" + "9500000000000000");
        ProgramSpec spec = ProgramSpec.builder("jbpf_btf_ok", ProgramType.XDP).code(code)
                .btf(btfFor("prog.c", new String[] {"int verdict = XDP_PASS;", "return verdict;"})).build();
        try (Program p = Program.load(spec)) {
            assertThat(p.info().btfId()).isPositive();
            assertThat(p.testRun(TestRun.withData(new byte[14])).returnValue()).isEqualTo(2);
        }
    }

    @Test
    void theVerifierLogQuotesTheSourceLineOfTheRejectedInstruction() {
        byte[] code = HexFormat.of().parseHex("b701000000000000" + "9500000000000000");
        ProgramSpec spec = ProgramSpec.builder("jbpf_btf_bad", ProgramType.XDP).code(code)
                .btf(btfFor("filter.c", new String[] {"int unused = 0;", "return; /* forgot the verdict */"})).build();
        assertThatThrownBy(() -> Program.load(spec)).isInstanceOfSatisfying(VerifierException.class, e -> {
            assertThat(e.instruction()).isEqualTo(1);
            assertThat(e.log()).contains("return; /* forgot the verdict */ @ filter.c:11");
            assertThat(e.getMessage()).contains("R0 !read_ok")
                    .contains("at instruction 1 (filter.c:11: return; /* forgot the verdict */)");
        });
    }

    @Test
    void recordsMustBeWhole() {
        assertThatThrownBy(() -> new ProgramBtf(new byte[0], new byte[7], 8, new byte[0], 16))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8-byte records");
    }
}
