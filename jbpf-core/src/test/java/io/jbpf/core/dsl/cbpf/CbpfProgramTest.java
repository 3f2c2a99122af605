package io.jbpf.core.dsl.cbpf;

import static io.jbpf.core.dsl.cbpf.CbpfInsn.AluOp;
import static io.jbpf.core.dsl.cbpf.CbpfInsn.JmpOp;
import static io.jbpf.core.dsl.cbpf.CbpfInsn.Size;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CbpfProgramTest {
    static CbpfException refusal(CbpfInsn... insns) {
        CbpfProgram p = CbpfProgram.unchecked(List.of(insns));
        assertThat(p.isValid()).isFalse();
        try {
            p.validate();
        } catch (CbpfException e) {
            return e;
        }
        throw new AssertionError("not refused");
    }

    @Test
    void factoriesUseTheKernelsOpcodeNumbers() {
        assertThat(CbpfInsn.ldAbs(Size.H, 12).code()).isEqualTo(0x28);
        assertThat(CbpfInsn.ldAbs(Size.B, 23).code()).isEqualTo(0x30);
        assertThat(CbpfInsn.ldAbs(Size.W, 26).code()).isEqualTo(0x20);
        assertThat(CbpfInsn.ldInd(Size.H, 14).code()).isEqualTo(0x48);
        assertThat(CbpfInsn.ldxMsh(14).code()).isEqualTo(0xb1);
        assertThat(CbpfInsn.jmp(JmpOp.JEQ, 0x800, 0, 3).code()).isEqualTo(0x15);
        assertThat(CbpfInsn.jmp(JmpOp.JSET, 0x1fff, 4, 0).code()).isEqualTo(0x45);
        assertThat(CbpfInsn.jmpX(JmpOp.JGT, 0, 1).code()).isEqualTo(0x2d);
        assertThat(CbpfInsn.ret(262144).code()).isEqualTo(0x06);
        assertThat(CbpfInsn.retA().code()).isEqualTo(0x16);
        assertThat(CbpfInsn.ldLen().code()).isEqualTo(0x80);
        assertThat(CbpfInsn.alu(AluOp.AND, 0xf).code()).isEqualTo(0x54);
        assertThat(CbpfInsn.aluX(AluOp.MOD).code()).isEqualTo(0x9c);
        assertThat(CbpfInsn.neg().code()).isEqualTo(0x84);
        assertThat(CbpfInsn.tax().code()).isEqualTo(0x07);
        assertThat(CbpfInsn.txa().code()).isEqualTo(0x87);
        assertThat(CbpfInsn.st(3).code()).isEqualTo(0x02);
        assertThat(CbpfInsn.ldxMem(3).code()).isEqualTo(0x61);
        assertThat(CbpfInsn.ldAncillary(CbpfInsn.Ancillary.VLAN_TAG_PRESENT).k()).isEqualTo(-0x1000 + 48);
        CbpfInsn j = CbpfInsn.jmp(JmpOp.JGE, 5, 1, 2);
        assertThat(j.opClass()).isEqualTo(CbpfInsn.OpClass.JMP);
        assertThat(j.jmpOp()).isEqualTo(JmpOp.JGE);
        assertThat(j.src()).isEqualTo(CbpfInsn.Src.K);
        assertThat(j.isConditionalJump()).isTrue();
        assertThat(CbpfInsn.ja(1).isConditionalJump()).isFalse();
        assertThat(CbpfInsn.ldAbs(Size.H, 12).size()).isEqualTo(Size.H);
        assertThat(CbpfInsn.ldAbs(Size.H, 12).mode()).isEqualTo(CbpfInsn.Mode.ABS);
    }

    @Test
    void fieldRangesAreChecked() {
        assertThatThrownBy(() -> new CbpfInsn(0x10000, 0, 0, 0)).isInstanceOf(CbpfException.class);
        assertThatThrownBy(() -> new CbpfInsn(0x15, 256, 0, 0)).isInstanceOf(CbpfException.class);
        assertThatThrownBy(() -> CbpfInsn.jmp(JmpOp.JA, 0, 0, 0)).isInstanceOf(CbpfException.class);
    }

    @Test
    void theKernelsRulesAreAppliedNamingTheInstruction() {
        assertThat(refusal().index()).isEqualTo(-1);
        assertThat(refusal(CbpfInsn.ldAbs(Size.H, 12)).index()).isZero(); // no return at the end
        assertThat(refusal(CbpfInsn.ldImm(1), CbpfInsn.alu(AluOp.DIV, 0), CbpfInsn.retA()))
                .satisfies(e -> assertThat(e.index()).isEqualTo(1)).hasMessageContaining("division");
        assertThat(refusal(CbpfInsn.ldImm(1), CbpfInsn.alu(AluOp.MOD, 0), CbpfInsn.retA()).index()).isEqualTo(1);
        assertThat(refusal(CbpfInsn.ldImm(1), CbpfInsn.alu(AluOp.LSH, 32), CbpfInsn.retA()).index()).isEqualTo(1);
        assertThat(refusal(CbpfInsn.ldImm(1), CbpfInsn.st(16), CbpfInsn.retA()).index()).isEqualTo(1);
        assertThat(refusal(CbpfInsn.ldxMem(-1), CbpfInsn.retA()).index()).isZero();
        assertThat(refusal(CbpfInsn.ldImm(1), CbpfInsn.jmp(JmpOp.JEQ, 1, 0, 1), CbpfInsn.retA()).index()).isEqualTo(1);
        assertThat(refusal(CbpfInsn.ja(1), CbpfInsn.retA()).index()).isZero();
        assertThat(refusal(CbpfInsn.ja(-1), CbpfInsn.retA()).index()).isZero(); // k is unsigned: no backward jumps
        assertThat(refusal(CbpfInsn.stmt(0x0e, 0)).index()).isZero(); // ret x: libpcap only
        assertThat(refusal(CbpfInsn.stmt(0x08, 1), CbpfInsn.retA()).index()).isZero(); // ldh #k
        assertThat(refusal(CbpfInsn.ldAbs(Size.W, CbpfInsn.SKF_AD_OFF + 2), CbpfInsn.retA()))
                .satisfies(e -> assertThat(e.index()).isZero()).hasMessageContaining("ancillary");
        assertThat(refusal(CbpfInsn.ldImm(0), CbpfInsn.ret(1), CbpfInsn.ldImm(0))).satisfies(e -> assertThat(e.index()).isEqualTo(2))
                .hasMessageContaining("return");
        // M[2] is written on one path only
        assertThat(refusal(CbpfInsn.ldImm(0), CbpfInsn.jmp(JmpOp.JEQ, 0, 0, 1), CbpfInsn.st(2), CbpfInsn.ldMem(2),
                CbpfInsn.retA()).index()).isEqualTo(3);
        List<CbpfInsn> tooLong = new ArrayList<>(Collections.nCopies(CbpfProgram.MAX_INSNS, CbpfInsn.ldImm(0)));
        tooLong.add(CbpfInsn.retA());
        assertThatThrownBy(() -> CbpfProgram.of(tooLong)).isInstanceOf(CbpfException.class).hasMessageContaining("4096");
    }

    @Test
    void validProgramsPass() {
        CbpfProgram p = CbpfProgram.of(CbpfInsn.ldAbs(Size.H, 12), CbpfInsn.jmp(JmpOp.JEQ, 0x800, 0, 3),
                CbpfInsn.st(0), CbpfInsn.ldMem(0), CbpfInsn.jmp(JmpOp.JEQ, 0x800, 0, 1), CbpfInsn.ret(-1), CbpfInsn.ret(0));
        assertThat(p.size()).isEqualTo(7);
        assertThat(CbpfProgram.of(CbpfInsn.st(0), CbpfInsn.ja(0), CbpfInsn.ldMem(0), CbpfInsn.retA()).isValid()).isTrue();
        List<CbpfInsn> max = new ArrayList<>(Collections.nCopies(CbpfProgram.MAX_INSNS - 1, CbpfInsn.ldImm(0)));
        max.add(CbpfInsn.retA());
        assertThat(CbpfProgram.of(max).size()).isEqualTo(4096);
    }

    @Test
    void bytesRoundTripInBothOrders() {
        CbpfProgram p = CbpfProgram.of(CbpfInsn.ldAbs(Size.H, 12), CbpfInsn.jmp(JmpOp.JEQ, 0x800, 0, 1),
                CbpfInsn.ret(0x40000), CbpfInsn.ret(0));
        byte[] le = p.toBytes(ByteOrder.LITTLE_ENDIAN);
        assertThat(le).hasSize(32);
        assertThat(le[0]).isEqualTo((byte) 0x28);
        assertThat(le[4]).isEqualTo((byte) 12);
        assertThat(le[8 + 3]).isEqualTo((byte) 1); // jf
        assertThat(CbpfProgram.fromBytes(le, ByteOrder.LITTLE_ENDIAN)).isEqualTo(p);
        assertThat(CbpfProgram.fromBytes(p.toBytes(ByteOrder.BIG_ENDIAN), ByteOrder.BIG_ENDIAN)).isEqualTo(p);
        assertThatThrownBy(() -> CbpfProgram.fromBytes(new byte[12], ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(CbpfException.class);
    }
}
