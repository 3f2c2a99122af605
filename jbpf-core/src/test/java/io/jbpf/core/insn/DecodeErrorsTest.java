package io.jbpf.core.insn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DecodeErrorsTest {
    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");
    private static final String EXIT = "95 00 00 00 00 00 00 00 ";

    private static InvalidInstructionException decodeFailure(String hex) {
        return catchThrowableOfType(InvalidInstructionException.class,
                () -> InsnCodec.decode(HEX.parseHex(hex.trim()), ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void unknownOpcodeNamesItsSlotAndValue() {
        InvalidInstructionException e = decodeFailure(EXIT + EXIT + "ff 00 00 00 00 00 00 00");
        assertThat(e.index()).isEqualTo(2);
        assertThat(e.getMessage()).contains("instruction 2").contains("unknown opcode 0xff");
    }

    @Test
    void slotIndexCountsBothSlotsOfAWideLoad() {
        InvalidInstructionException e = decodeFailure(
                "18 01 00 00 01 00 00 00 00 00 00 00 00 00 00 00 " + "e7 00 00 00 00 00 00 00");
        assertThat(e.index()).isEqualTo(2);
        assertThat(e.problem()).contains("0xe7");
    }

    @Test
    void registerAboveR10() {
        InvalidInstructionException e = decodeFailure("bf 0b 00 00 00 00 00 00");
        assertThat(e.getMessage()).contains("r11").contains("r0..r10");
        InvalidInstructionException src = decodeFailure("bf f1 00 00 00 00 00 00");
        assertThat(src.getMessage()).contains("src register r15");
    }

    @Test
    void bytesNotAMultipleOfEight() {
        InvalidInstructionException e = decodeFailure(EXIT + "95 00 00");
        assertThat(e.index()).isEqualTo(1);
        assertThat(e.getMessage()).contains("11 bytes").contains("multiple of 8");
    }

    @Test
    void wideLoadMissingItsSecondSlot() {
        InvalidInstructionException e = decodeFailure(EXIT + "18 01 00 00 01 00 00 00");
        assertThat(e.index()).isEqualTo(1);
        assertThat(e.getMessage()).contains("truncated").contains("second slot");
    }

    @Test
    void wideLoadWithAGarbageSecondSlot() {
        InvalidInstructionException e = decodeFailure("18 01 00 00 01 00 00 00 95 00 00 00 00 00 00 00");
        assertThat(e.getMessage()).contains("second slot").contains("opcode 0x95");
    }

    @Test
    void unknownPseudoSource() {
        InvalidInstructionException e = decodeFailure("18 71 00 00 01 00 00 00 00 00 00 00 00 00 00 00");
        assertThat(e.getMessage()).contains("pseudo source 7");
    }

    @Test
    void reservedFieldsMustBeZero() {
        assertThat(decodeFailure("95 00 00 00 01 00 00 00").getMessage()).contains("exit").contains("imm 0, found 1");
        assertThat(decodeFailure("07 21 00 00 01 00 00 00").getMessage()).contains("src 0, found 2");
        assertThat(decodeFailure("b7 01 08 00 01 00 00 00").getMessage()).contains("offset 8");
        assertThat(decodeFailure("bf 21 07 00 00 00 00 00").getMessage()).contains("sign-extend from 7 bits");
    }

    @Test
    void badByteSwapWidth() {
        assertThat(decodeFailure("dc 01 00 00 08 00 00 00").getMessage()).contains("byte swap width 8");
    }

    @Test
    void unknownAtomicOperation() {
        assertThat(decodeFailure("db 21 00 00 02 00 00 00").getMessage()).contains("unknown atomic operation 0x2");
        assertThat(decodeFailure("d3 21 00 00 00 00 00 00").getMessage()).contains("unknown opcode 0xd3");
    }

    @Test
    void callAndExitDoNotExistInJmp32() {
        assertThat(decodeFailure("86 00 00 00 01 00 00 00").getMessage()).contains("unknown opcode 0x86");
        assertThat(decodeFailure("85 30 00 00 01 00 00 00").getMessage()).contains("unknown src 3");
    }

    @Test
    void bigEndianErrorsToo() {
        // dst nibble is the high one in big endian: 0xb0 means dst r11
        assertThatThrownBy(() -> InsnCodec.decode(HEX.parseHex("bf b0 00 00 00 00 00 00"), ByteOrder.BIG_ENDIAN))
                .isInstanceOf(InvalidInstructionException.class)
                .hasMessageContaining("r11");
    }

    @Test
    void nullInputsAreTypedErrors() {
        assertThatThrownBy(() -> InsnCodec.decode(null, ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(InvalidInstructionException.class);
        assertThatThrownBy(() -> InsnCodec.decode(new byte[8], null))
                .isInstanceOf(InvalidInstructionException.class);
        assertThatThrownBy(() -> new Alu(Width.W64, AluOp.ADD, null, Reg.R1))
                .isInstanceOf(InvalidInstructionException.class)
                .hasMessageContaining("dst register");
        assertThatThrownBy(() -> Reg.of(11)).isInstanceOf(InvalidInstructionException.class);
    }

    @Test
    void recordsRejectFieldsThatDoNotFit() {
        assertThatThrownBy(() -> new Jump(Width.W64, JumpCond.EQ, Reg.R1, Reg.R2, 40000))
                .isInstanceOf(InvalidInstructionException.class)
                .hasMessageContaining("40000")
                .hasMessageContaining("16-bit");
        assertThatThrownBy(() -> new LoadSx(Size.DW, Reg.R1, Reg.R2, 0))
                .hasMessageContaining("size DW");
        assertThatThrownBy(() -> new Atomic(Size.B, AtomicOp.ADD, Reg.R1, 0, Reg.R2))
                .hasMessageContaining("size B");
        assertThatThrownBy(() -> new MovSx(Width.W32, Reg.R1, Reg.R2, 32))
                .hasMessageContaining("32 bits in 32-bit mode");
        assertThatThrownBy(() -> new RawInsn(256, 0, 0, 0, 0)).hasMessageContaining("raw opcode 256");
    }
}
