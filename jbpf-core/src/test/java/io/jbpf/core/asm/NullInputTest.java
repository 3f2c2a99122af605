package io.jbpf.core.asm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.JbpfException;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.insn.MapReferences;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** Null where a value belongs is bad input: a typed jbpf exception, never a NullPointerException. */
class NullInputTest {
    private static final List<Insn> WITH_NULL = Arrays.asList(new io.jbpf.core.insn.Exit(), null);

    @Test
    void publicEntryPointsRejectNullsWithTypedExceptions() {
        List<Runnable> calls = List.of(
                () -> AsmParser.parse(null),
                () -> Disassembler.create().lines(null),
                () -> Disassembler.create().lines(WITH_NULL),
                () -> Disassembler.create().format(null),
                () -> Disassembler.create().withNumbers(null),
                () -> new Assembler().emit((List<Insn>) null),
                () -> new Assembler().label(null),
                () -> new Assembler().call((String) null),
                () -> new Assembler().call((io.jbpf.core.insn.Helper) null),
                () -> InsnCodec.encode((List<Insn>) null, ByteOrder.LITTLE_ENDIAN),
                () -> InsnCodec.encode(WITH_NULL, ByteOrder.LITTLE_ENDIAN),
                () -> InsnCodec.slotCount(null),
                () -> MapReferences.list(null),
                () -> MapReferences.resolve(List.of(), (ToIntFunction<String>) null),
                () -> MapReferences.resolve(List.of(), (Map<String, Integer>) null));
        for (Runnable call : calls) {
            assertThatThrownBy(call::run).isInstanceOf(JbpfException.class);
        }
    }
}
