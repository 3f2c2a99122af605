package io.jbpf.core.insn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MapReferencesTest {
    private final List<Insn> program = List.of(
            LoadMapRef.map(Reg.R1, "counters"),
            new Alu(Width.W64, AluOp.MOV, Reg.R2, Reg.R10),
            LoadMapRef.value(Reg.R3, ".rodata", 16),
            new Exit(),
            LoadMapRef.map(Reg.R4, "counters"));

    @Test
    void listsNamesWithListIndexAndSlot() {
        assertThat(MapReferences.list(program)).containsExactly(
                new MapReference("counters", 0, 0, false, 0),
                new MapReference(".rodata", 2, 3, true, 16),
                new MapReference("counters", 4, 6, false, 0));
    }

    @Test
    void resolvesToMapFdAndMapValueLoads() {
        List<Insn> resolved = MapReferences.resolve(program, Map.of("counters", 7, ".rodata", 9));

        assertThat(resolved).containsExactly(
                new LoadPseudo(Reg.R1, PseudoSource.MAP_FD, 7, 0),
                program.get(1),
                new LoadPseudo(Reg.R3, PseudoSource.MAP_VALUE, 9, 16),
                program.get(3),
                new LoadPseudo(Reg.R4, PseudoSource.MAP_FD, 7, 0));
        assertThat(MapReferences.list(resolved)).isEmpty();
        // src 1 = BPF_PSEUDO_MAP_FD, imm = fd; the second slot's imm is 0
        assertThat(HexFormat.of().formatHex(InsnCodec.encode(resolved.get(0), ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo("1811000007000000" + "0000000000000000");
        // src 2 = BPF_PSEUDO_MAP_VALUE, imm = fd; the second slot's imm is the value offset
        assertThat(HexFormat.of().formatHex(InsnCodec.encode(resolved.get(2), ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo("1823000009000000" + "0000000010000000");
    }

    @Test
    void failsNamingEveryUnresolvedMap() {
        UnresolvedMapException e = catchThrowableOfType(UnresolvedMapException.class,
                () -> MapReferences.resolve(program, name -> name.equals("counters") ? 3 : -1));
        assertThat(e.mapNames()).containsExactly(".rodata");
        assertThat(e.getMessage()).contains("'.rodata' (instruction 2)");

        UnresolvedMapException none = catchThrowableOfType(UnresolvedMapException.class,
                () -> MapReferences.resolve(program, Map.of()));
        assertThat(none.mapNames()).containsExactly("counters", ".rodata");
        assertThat(none.unresolved()).hasSize(3);
    }

    @Test
    void rejectsBadNames() {
        assertThat(catchThrowableOfType(InvalidInstructionException.class,
                () -> LoadMapRef.map(Reg.R1, "no spaces")).getMessage()).contains("'no spaces'");
        assertThat(catchThrowableOfType(InvalidInstructionException.class,
                () -> new LoadMapRef(Reg.R1, "m", false, 4)).getMessage()).contains("not a value reference");
    }
}
