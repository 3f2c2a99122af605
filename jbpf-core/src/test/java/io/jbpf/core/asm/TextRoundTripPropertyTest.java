package io.jbpf.core.asm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.insn.InsnGen;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** asm(disasm(p)) == p over many seeded random programs; a failure names its seed. */
class TextRoundTripPropertyTest {

    private static List<Insn> anyInstructions(InsnGen gen) {
        int n = gen.random().nextInt(31);
        List<Insn> p = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int k = gen.random().nextInt(8);
            p.add(k < 6 ? gen.encodable() : k == 6 ? gen.mapRef() : gen.raw());
        }
        return p;
    }

    private static Disassembler disassembler(InsnGen gen) {
        NumberStyle[] styles = NumberStyle.values();
        return Disassembler.create().withSlotNumbers(gen.random().nextBoolean())
                .withHelperNames(gen.random().nextBoolean())
                .withNumbers(styles[gen.random().nextInt(styles.length)]);
    }

    @Test
    void parsedDisassemblyEncodesToTheSameBytes() {
        for (long seed = 0; seed < 1500; seed++) {
            InsnGen gen = new InsnGen(seed);
            List<Insn> program = gen.program();
            ByteOrder order = gen.random().nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            String text = Disassembler.create().disassemble(program);
            byte[] expected = InsnCodec.encode(program, order);
            assertThat(InsnCodec.encode(AsmParser.parse(text), order)).as("seed %d:%n%s", seed, text)
                    .isEqualTo(expected);
        }
    }

    @Test
    void parseInvertsDisassembleInEveryStyle() {
        for (long seed = 0; seed < 1500; seed++) {
            InsnGen gen = new InsnGen(seed);
            List<Insn> program = anyInstructions(gen);
            String text = disassembler(gen).disassemble(program);
            assertThat(AsmParser.parse(text)).as("seed %d:%n%s", seed, text).isEqualTo(program);
        }
    }

    @Test
    void disassemblyHasOneLinePerInstruction() {
        for (long seed = 0; seed < 300; seed++) {
            List<Insn> program = anyInstructions(new InsnGen(seed));
            List<String> lines = Disassembler.create().lines(program);
            assertThat(lines).as("seed %d", seed).hasSameSizeAs(program);
            assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\n").isNotBlank());
        }
    }
}
