package io.jbpf.core.asm;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jbpf.core.insn.Alu;
import io.jbpf.core.insn.AluOp;
import io.jbpf.core.insn.AtomicOp;
import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.CallLocal;
import io.jbpf.core.insn.Exit;
import io.jbpf.core.insn.Goto;
import io.jbpf.core.insn.GotoLong;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Jump;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.MapReferences;
import io.jbpf.core.insn.Size;
import io.jbpf.core.insn.Width;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssemblerTest {

    @Test
    void forwardAndBackwardJumpsCountSlots() {
        List<Insn> prog = new Assembler()
                .mov(R0, 0)
                .label("top")
                .jeq(R1, 0, "out")          // slot 1
                .ldImm64(R2, 1L << 40)      // slots 2-3
                .add(R0, R2)                // slot 4
                .ja("top")                  // slot 5
                .label("out")
                .exit()                     // slot 6
                .build();
        assertThat(prog).containsExactly(
                new Alu(Width.W64, AluOp.MOV, R0, Imm.of(0)),
                new Jump(Width.W64, JumpCond.EQ, R1, Imm.of(0), 4),
                new LoadImm64(R2, 1L << 40),
                new Alu(Width.W64, AluOp.ADD, R0, R2),
                new Goto(-5),
                new Exit());
    }

    @Test
    void thirtyTwoBitVariantsAndCalls() {
        List<Insn> prog = new Assembler()
                .mov32(R1, -1)
                .jump32(JumpCond.SLT, R1, R2, "end")
                .call(Helper.KTIME_GET_NS)
                .call("bpf_get_prandom_u32")
                .callLocal("end")
                .jaLong("end")
                .label("end")
                .exit()
                .build();
        assertThat(prog).containsExactly(
                new Alu(Width.W32, AluOp.MOV, R1, Imm.of(-1)),
                new Jump(Width.W32, JumpCond.SLT, R1, R2, 4),
                new CallHelper(5),
                new CallHelper(7),
                new CallLocal(1),
                new GotoLong(0),
                new Exit());
    }

    @Test
    void mapReferencesBySymbolicName() {
        List<Insn> prog = new Assembler()
                .ldMap(R1, "events")
                .ldMapValue(R2, "config", 4)
                .exit()
                .build();
        assertThat(prog).startsWith(LoadMapRef.map(R1, "events"), LoadMapRef.value(R2, "config", 4));
        assertThat(MapReferences.list(prog)).extracting(r -> r.mapName() + "@" + r.index() + "/" + r.slot())
                .containsExactly("events@0/0", "config@1/2");
    }

    @Test
    void sameProgramAsTheText() {
        List<Insn> fluent = new Assembler()
                .mov(R6, R1)
                .store(Size.DW, R10, -8, 0)
                .atomic(Size.DW, AtomicOp.FETCH_ADD, R10, -8, R0)
                .sdiv32(R0, 3)
                .bswap(R0, 16)
                .movsx(R1, R0, 32)
                .loadSx(Size.B, R2, R6, 12)
                .exit()
                .build();
        List<Insn> text = AsmParser.parse(String.join("\n",
                "r6 = r1",
                "*(u64 *)(r10 - 8) = 0",
                "r0 = atomic_fetch_add((u64 *)(r10 - 8), r0)",
                "w0 s/= 3",
                "r0 = bswap16 r0",
                "r1 = (s32)r0",
                "r2 = *(s8 *)(r6 + 12)",
                "exit"));
        assertThat(fluent).isEqualTo(text);
    }

    @Test
    void jumpOutOfRangeNamesTheLabel() {
        Assembler asm = new Assembler().jeq(R1, 0, "far");
        for (int i = 0; i < 40000; i++) {
            asm.mov(R0, i);
        }
        asm.label("far").exit();
        AssemblerException e = catchThrowableOfType(AssemblerException.class, asm::build);
        assertThat(e.label()).contains("far");
        assertThat(e.getMessage()).contains("'far' is out of range").contains("40000");
    }

    @Test
    void longJumpReachesWhereAShortOneCannot() {
        Assembler asm = new Assembler().jaLong("far");
        for (int i = 0; i < 40000; i++) {
            asm.mov(R0, i);
        }
        List<Insn> prog = asm.label("far").exit().build();
        assertThat(prog.get(0)).isEqualTo(new GotoLong(40000));
    }

    @Test
    void undefinedDuplicateAndMisplacedLabels() {
        assertThat(catchThrowableOfType(AssemblerException.class,
                () -> new Assembler().ja("nowhere").exit().build()).getMessage())
                .isEqualTo("label 'nowhere' is not defined");
        assertThat(catchThrowableOfType(AssemblerException.class,
                () -> new Assembler().label("x").exit().label("x")).getMessage())
                .contains("'x' is defined twice");
        assertThat(catchThrowableOfType(AssemblerException.class,
                () -> new Assembler().ja("end").exit().label("end").build()).getMessage())
                .contains("after the last instruction");
        assertThatThrownBy(() -> new Assembler().label("r1")).isInstanceOf(AssemblerException.class)
                .hasMessageContaining("not a valid label");
        assertThatThrownBy(() -> new Assembler().label("1abc")).isInstanceOf(AssemblerException.class);
    }

    @Test
    void operandChecks() {
        assertThatThrownBy(() -> new Assembler().lsh(R1, 64)).isInstanceOf(AssemblerException.class)
                .hasMessageContaining("shift by 64 is outside 0..63");
        assertThatThrownBy(() -> new Assembler().arsh32(R1, 32)).hasMessageContaining("outside 0..31");
        assertThatThrownBy(() -> new Assembler().rsh(R1, -1)).hasMessageContaining("shift by -1");
        assertThatThrownBy(() -> new Assembler().load(Size.W, R1, R2, 1 << 15))
                .isInstanceOf(AssemblerException.class).hasMessageContaining("32768");
        assertThatThrownBy(() -> new Assembler().movsx32(R1, R2, 32)).isInstanceOf(AssemblerException.class);
        assertThatThrownBy(() -> new Assembler().toBe(R1, 8)).hasMessageContaining("byte swap width 8");
        assertThatThrownBy(() -> new Assembler().mov(null, 1)).isInstanceOf(AssemblerException.class);
        assertThatThrownBy(() -> new Assembler().emit((Insn) null)).isInstanceOf(AssemblerException.class);
        assertThatThrownBy(() -> new Assembler().ja(null)).isInstanceOf(AssemblerException.class);
    }

    @Test
    void unknownHelperName() {
        assertThatThrownBy(() -> new Assembler().call("bpf_ktime_get_sn"))
                .isInstanceOf(AssemblerException.class)
                .hasMessageContaining("unknown helper 'bpf_ktime_get_sn'")
                .hasMessageContaining("did you mean bpf_ktime_get_ns?");
    }

    @Test
    void buildIsImmutable() {
        List<Insn> prog = new Assembler().exit().build();
        assertThatThrownBy(() -> prog.add(new Exit())).isInstanceOf(UnsupportedOperationException.class);
    }
}
