package io.jbpf.core.insn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encodings RFC 9669 gives: its worked example in both byte orders, the wide-instruction
 * layout, and rows of its opcode registry (Appendix A), each written here as
 * "opcode, src, offset, imm" the way the registry lists them, against the instruction the row's
 * description means.
 */
class RfcEncodingTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    @Test
    void workedExampleLittleEndian() {
        Insn add = new Alu(Width.W64, AluOp.ADD, Reg.R1, Imm.of(0x11223344));
        assertThat(HEX.formatHex(InsnCodec.encode(add, ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo("07 01 00 00 44 33 22 11");
    }

    @Test
    void workedExampleBigEndianSwapsRegisterNibbles() {
        Insn add = new Alu(Width.W64, AluOp.ADD, Reg.R1, Imm.of(0x11223344));
        assertThat(HEX.formatHex(InsnCodec.encode(add, ByteOrder.BIG_ENDIAN)))
                .isEqualTo("07 10 00 00 11 22 33 44");
        assertThat(InsnCodec.decode(HEX.parseHex("07 10 00 00 11 22 33 44"), ByteOrder.BIG_ENDIAN))
                .containsExactly(add);
    }

    @Test
    void wideInstructionPutsHighHalfInSecondSlot() {
        Insn ld = new LoadImm64(Reg.R1, 0x1122334455667788L);
        assertThat(HEX.formatHex(InsnCodec.encode(ld, ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo("18 01 00 00 88 77 66 55 00 00 00 00 44 33 22 11");
        assertThat(HEX.formatHex(InsnCodec.encode(ld, ByteOrder.BIG_ENDIAN)))
                .isEqualTo("18 10 00 00 55 66 77 88 00 00 00 00 11 22 33 44");
    }

    static Stream<Arguments> registry() {
        Reg d = Reg.R3;
        Reg s = Reg.R4;
        return Stream.of(
                row(0x07, 0, 0, 5, new Alu(Width.W64, AluOp.ADD, d, Imm.of(5))),
                row(0x0f, 4, 0, 0, new Alu(Width.W64, AluOp.ADD, d, s)),
                row(0x04, 0, 0, -2, new Alu(Width.W32, AluOp.ADD, d, Imm.of(-2))),
                row(0x1c, 4, 0, 0, new Alu(Width.W32, AluOp.SUB, d, s)),
                row(0x27, 0, 0, 3, new Alu(Width.W64, AluOp.MUL, d, Imm.of(3))),
                row(0x37, 0, 0, 7, new Alu(Width.W64, AluOp.DIV, d, Imm.of(7))),
                row(0x37, 0, 1, 7, new Alu(Width.W64, AluOp.SDIV, d, Imm.of(7))),
                row(0x3c, 4, 1, 0, new Alu(Width.W32, AluOp.SDIV, d, s)),
                row(0x47, 0, 0, 1, new Alu(Width.W64, AluOp.OR, d, Imm.of(1))),
                row(0x5f, 4, 0, 0, new Alu(Width.W64, AluOp.AND, d, s)),
                row(0x67, 0, 0, 32, new Alu(Width.W64, AluOp.LSH, d, Imm.of(32))),
                row(0x7c, 4, 0, 0, new Alu(Width.W32, AluOp.RSH, d, s)),
                row(0x87, 0, 0, 0, new Neg(Width.W64, d)),
                row(0x84, 0, 0, 0, new Neg(Width.W32, d)),
                row(0x97, 0, 0, 10, new Alu(Width.W64, AluOp.MOD, d, Imm.of(10))),
                row(0x9f, 4, 1, 0, new Alu(Width.W64, AluOp.SMOD, d, s)),
                row(0xa7, 0, 0, -1, new Alu(Width.W64, AluOp.XOR, d, Imm.of(-1))),
                row(0xb7, 0, 0, 42, new Alu(Width.W64, AluOp.MOV, d, Imm.of(42))),
                row(0xbf, 4, 0, 0, new Alu(Width.W64, AluOp.MOV, d, s)),
                row(0xbf, 4, 8, 0, new MovSx(Width.W64, d, s, 8)),
                row(0xbf, 4, 32, 0, new MovSx(Width.W64, d, s, 32)),
                row(0xbc, 4, 16, 0, new MovSx(Width.W32, d, s, 16)),
                row(0xc7, 0, 0, 3, new Alu(Width.W64, AluOp.ARSH, d, Imm.of(3))),
                row(0xd4, 0, 0, 16, new ByteSwap(SwapKind.LE, 16, d)),
                row(0xdc, 0, 0, 32, new ByteSwap(SwapKind.BE, 32, d)),
                row(0xdc, 0, 0, 64, new ByteSwap(SwapKind.BE, 64, d)),
                row(0xd7, 0, 0, 64, new ByteSwap(SwapKind.BSWAP, 64, d)),
                rowDst0(0x05, 0, 9, 0, new Goto(9)),
                rowDst0(0x06, 0, 0, 100000, new GotoLong(100000)),
                row(0x15, 0, -3, 4, new Jump(Width.W64, JumpCond.EQ, d, Imm.of(4), -3)),
                row(0x1d, 4, 2, 0, new Jump(Width.W64, JumpCond.EQ, d, s, 2)),
                row(0x25, 0, 1, 4, new Jump(Width.W64, JumpCond.GT, d, Imm.of(4), 1)),
                row(0x3e, 4, 1, 0, new Jump(Width.W32, JumpCond.GE, d, s, 1)),
                row(0x45, 0, 1, 8, new Jump(Width.W64, JumpCond.SET, d, Imm.of(8), 1)),
                row(0x55, 0, 1, 0, new Jump(Width.W64, JumpCond.NE, d, Imm.of(0), 1)),
                row(0x6d, 4, 1, 0, new Jump(Width.W64, JumpCond.SGT, d, s, 1)),
                row(0x76, 0, 1, -1, new Jump(Width.W32, JumpCond.SGE, d, Imm.of(-1), 1)),
                row(0xa5, 0, 1, 4, new Jump(Width.W64, JumpCond.LT, d, Imm.of(4), 1)),
                row(0xbd, 4, 1, 0, new Jump(Width.W64, JumpCond.LE, d, s, 1)),
                row(0xc6, 0, 1, 4, new Jump(Width.W32, JumpCond.SLT, d, Imm.of(4), 1)),
                row(0xdd, 4, 1, 0, new Jump(Width.W64, JumpCond.SLE, d, s, 1)),
                rowDst0(0x85, 0, 0, 1, new CallHelper(1)),
                rowDst0(0x85, 1, 0, -5, new CallLocal(-5)),
                rowDst0(0x85, 2, 0, 1234, new CallKfunc(1234, 0)),
                rowDst0(0x95, 0, 0, 0, new Exit()),
                row(0x61, 4, 4, 0, new Load(Size.W, d, s, 4)),
                row(0x69, 4, -2, 0, new Load(Size.H, d, s, -2)),
                row(0x71, 4, 0, 0, new Load(Size.B, d, s, 0)),
                row(0x79, 4, 8, 0, new Load(Size.DW, d, s, 8)),
                row(0x81, 4, 0, 0, new LoadSx(Size.W, d, s, 0)),
                row(0x89, 4, 0, 0, new LoadSx(Size.H, d, s, 0)),
                row(0x91, 4, 0, 0, new LoadSx(Size.B, d, s, 0)),
                row(0x62, 0, -4, 7, new StoreImm(Size.W, d, -4, 7)),
                row(0x7a, 0, -8, -1, new StoreImm(Size.DW, d, -8, -1)),
                row(0x63, 4, -4, 0, new Store(Size.W, d, -4, s)),
                row(0x73, 4, 1, 0, new Store(Size.B, d, 1, s)),
                row(0x7b, 4, -8, 0, new Store(Size.DW, d, -8, s)),
                row(0xc3, 4, 0, 0x00, new Atomic(Size.W, AtomicOp.ADD, d, 0, s)),
                row(0xdb, 4, 0, 0x01, new Atomic(Size.DW, AtomicOp.FETCH_ADD, d, 0, s)),
                row(0xdb, 4, 0, 0x40, new Atomic(Size.DW, AtomicOp.OR, d, 0, s)),
                row(0xc3, 4, 0, 0x41, new Atomic(Size.W, AtomicOp.FETCH_OR, d, 0, s)),
                row(0xdb, 4, 0, 0x50, new Atomic(Size.DW, AtomicOp.AND, d, 0, s)),
                row(0xdb, 4, 0, 0x51, new Atomic(Size.DW, AtomicOp.FETCH_AND, d, 0, s)),
                row(0xdb, 4, 0, 0xa0, new Atomic(Size.DW, AtomicOp.XOR, d, 0, s)),
                row(0xc3, 4, 0, 0xa1, new Atomic(Size.W, AtomicOp.FETCH_XOR, d, 0, s)),
                row(0xdb, 4, 16, 0xe1, new Atomic(Size.DW, AtomicOp.XCHG, d, 16, s)),
                row(0xdb, 4, 16, 0xf1, new Atomic(Size.DW, AtomicOp.CMPXCHG, d, 16, s)),
                rowDst0(0x20, 0, 0, 14, new LoadAbs(Size.W, 14)),
                rowDst0(0x28, 0, 0, 12, new LoadAbs(Size.H, 12)),
                rowDst0(0x50, 4, 0, 0, new LoadInd(Size.B, s, 0)));
    }

    /** A registry row with dst = r3 and src field {@code src}. */
    private static Arguments row(int opcode, int src, int offset, int imm, Insn expected) {
        return new Row(opcode, 3, src, offset, imm, expected).arguments();
    }

    /** A registry row whose dst field is 0. */
    private static Arguments rowDst0(int opcode, int src, int offset, int imm, Insn expected) {
        return new Row(opcode, 0, src, offset, imm, expected).arguments();
    }

    private static final class Row {
        final int opcode, dst, src, offset, imm;
        final Insn expected;

        Row(int opcode, int dst, int src, int offset, int imm, Insn expected) {
            this.opcode = opcode;
            this.dst = dst;
            this.src = src;
            this.offset = offset;
            this.imm = imm;
            this.expected = expected;
        }

        Arguments arguments() {
            return Arguments.of(String.format("0x%02x src=%d off=%d imm=%d", opcode, src, offset, imm),
                    this.toBytes(), expected);
        }

        byte[] toBytes() {
            byte[] b = new byte[8];
            b[0] = (byte) opcode;
            b[1] = (byte) ((src << 4) | dst);
            b[2] = (byte) offset;
            b[3] = (byte) (offset >> 8);
            for (int i = 0; i < 4; i++) {
                b[4 + i] = (byte) (imm >> (8 * i));
            }
            return b;
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registry")
    void registryRowDecodesAndEncodes(String row, byte[] bytes, Insn expected) {
        assertThat(InsnCodec.decode(bytes, ByteOrder.LITTLE_ENDIAN)).containsExactly(expected);
        assertThat(InsnCodec.encode(List.of(expected), ByteOrder.LITTLE_ENDIAN)).isEqualTo(bytes);
    }

    @Test
    void pseudoSourcesOfTheWideLoad() {
        // 0x18 with src 1..6: map by fd, map value, BTF variable, code address, map by index, its value
        for (PseudoSource p : PseudoSource.values()) {
            byte[] bytes = HEX.parseHex(String.format("18 %02x 00 00 07 00 00 00 00 00 00 00 10 00 00 00",
                    (p.code() << 4) | 2));
            assertThat(InsnCodec.decode(bytes, ByteOrder.LITTLE_ENDIAN))
                    .containsExactly(new LoadPseudo(Reg.R2, p, 7, 16));
        }
        assertThat(PseudoSource.MAP_FD.code()).isEqualTo(1);
        assertThat(PseudoSource.MAP_IDX_VALUE.code()).isEqualTo(6);
    }

    @Test
    void callxKeepsItsRegisterInDst() {
        assertThat(HEX.formatHex(InsnCodec.encode(new CallReg(Reg.R3), ByteOrder.LITTLE_ENDIAN)))
                .isEqualTo("8d 03 00 00 00 00 00 00");
    }
}
