package io.jbpf.core.asm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnArbitraries;
import io.jbpf.core.insn.InsnCodec;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TextRoundTripPropertyTest {

    @Provide
    Arbitrary<List<Insn>> programs() {
        return InsnArbitraries.program();
    }

    @Provide
    Arbitrary<List<Insn>> anyInstructions() {
        Arbitrary<Insn> encodable = InsnArbitraries.encodable();
        return Arbitraries.oneOf(encodable, encodable, encodable, encodable, encodable, encodable,
                        InsnArbitraries.mapRef(), InsnArbitraries.raw())
                .list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<Disassembler> disassemblers() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                        Arbitraries.of(NumberStyle.class))
                .as((slots, names, style) -> Disassembler.create()
                        .withSlotNumbers(slots).withHelperNames(names).withNumbers(style));
    }

    @Provide
    Arbitrary<ByteOrder> orders() {
        return Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    @Property(tries = 1500)
    void parsedDisassemblyEncodesToTheSameBytes(@ForAll("programs") List<Insn> program,
                                                @ForAll("orders") ByteOrder order) {
        String text = Disassembler.create().disassemble(program);

        byte[] expected = InsnCodec.encode(program, order);
        assertThat(InsnCodec.encode(AsmParser.parse(text), order)).isEqualTo(expected);
    }

    @Property(tries = 1500)
    void parseInvertsDisassembleInEveryStyle(@ForAll("anyInstructions") List<Insn> program,
                                             @ForAll("disassemblers") Disassembler disassembler) {
        String text = disassembler.disassemble(program);

        assertThat(AsmParser.parse(text)).isEqualTo(program);
    }

    @Property(tries = 300)
    void disassemblyHasOneLinePerInstruction(@ForAll("anyInstructions") List<Insn> program) {
        List<String> lines = Disassembler.create().lines(program);
        assertThat(lines).hasSameSizeAs(program);
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\n").isNotBlank());
    }
}
