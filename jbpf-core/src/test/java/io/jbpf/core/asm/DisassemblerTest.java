package io.jbpf.core.asm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.CallLocal;
import io.jbpf.core.insn.Exit;
import io.jbpf.core.insn.Goto;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.insn.LoadImm64;
import io.jbpf.core.insn.LoadMapRef;
import io.jbpf.core.insn.Reg;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Bytes and the text {@code llvm-objdump-19 -d --mattr=+alu32} printed for them (copied from its
 * output, with the trailing {@code <label>} of jumps removed).
 */
class DisassemblerTest {

    @ParameterizedTest
    @CsvSource(delimiter = '~', value = {
        "79 15 00 00 00 00 00 00 ~ r5 = *(u64 *)(r1 + 0x0)",
        "7b 5a f8 ff 00 00 00 00 ~ *(u64 *)(r10 - 0x8) = r5",
        "db 51 00 00 00 00 00 00 ~ lock *(u64 *)(r1 + 0x0) += r5",
        "db 51 08 00 01 00 00 00 ~ r5 = atomic_fetch_add((u64 *)(r1 + 0x8), r5)",
        "db 51 10 00 40 00 00 00 ~ lock *(u64 *)(r1 + 0x10) |= r5",
        "db 51 10 00 50 00 00 00 ~ lock *(u64 *)(r1 + 0x10) &= r5",
        "db 51 10 00 a0 00 00 00 ~ lock *(u64 *)(r1 + 0x10) ^= r5",
        "db 91 18 00 a1 00 00 00 ~ r9 = atomic_fetch_xor((u64 *)(r1 + 0x18), r9)",
        "db 71 20 00 f1 00 00 00 ~ r0 = cmpxchg_64(r1 + 0x20, r0, r7)",
        "db 51 28 00 e1 00 00 00 ~ r5 = xchg_64(r1 + 0x28, r5)",
        "b4 08 00 00 03 00 00 00 ~ w8 = 0x3",
        "c3 83 00 00 01 00 00 00 ~ w8 = atomic_fetch_add((u32 *)(r3 + 0x0), w8)",
        "c3 83 04 00 f1 00 00 00 ~ w0 = cmpxchg32_32(r3 + 0x4, w0, w8)",
        "c3 53 08 00 e1 00 00 00 ~ w5 = xchg32_32(r3 + 0x8, w5)",
        "63 5a d0 ff 00 00 00 00 ~ *(u32 *)(r10 - 0x30) = w5",
        "c3 13 0c 00 00 00 00 00 ~ lock *(u32 *)(r3 + 0xc) += w1",
        "c5 00 4d 00 fb ff ff ff ~ if r0 s< -0x5 goto +0x4d",
        "81 31 00 00 00 00 00 00 ~ r1 = *(s32 *)(r3 + 0x0)",
        "ce 81 4a 00 00 00 00 00 ~ if w1 s< w8 goto +0x4a",
        "57 05 00 00 40 00 00 00 ~ r5 &= 0x40",
        "55 05 46 00 00 00 00 00 ~ if r5 != 0x0 goto +0x46",
        "97 06 01 00 0b 00 00 00 ~ r6 s%= 0xb",
        "3f 13 01 00 00 00 00 00 ~ r3 s/= r1",
        "89 21 08 00 00 00 00 00 ~ r1 = *(s16 *)(r2 + 0x8)",
        "91 41 00 00 00 00 00 00 ~ r1 = *(s8 *)(r4 + 0x0)",
        "61 21 10 00 00 00 00 00 ~ w1 = *(u32 *)(r2 + 0x10)",
        "07 02 00 00 f8 ff ff ff ~ r2 += -0x8",
        "85 00 00 00 01 00 00 00 ~ call 0x1",
        "0c 76 00 00 00 00 00 00 ~ w6 += w7",
        "bc 72 10 00 00 00 00 00 ~ w2 = (s16)w7",
        "7a 02 28 00 2a 00 00 00 ~ *(u64 *)(r2 + 0x28) = 0x2a",
        "d7 08 00 00 20 00 00 00 ~ r8 = bswap32 r8",
        "72 02 03 00 ff 00 00 00 ~ *(u8 *)(r2 + 0x3) = 0xff",
        "bc 11 08 00 00 00 00 00 ~ w1 = (s8)w1",
        "bc 60 00 00 00 00 00 00 ~ w0 = w6",
        "95 00 00 00 00 00 00 00 ~ exit",
        "87 00 00 00 00 00 00 00 ~ r0 = -r0",
        "84 00 00 00 00 00 00 00 ~ w0 = -w0",
        "dc 00 00 00 10 00 00 00 ~ r0 = be16 r0",
        "d4 00 00 00 40 00 00 00 ~ r0 = le64 r0",
        "bf 21 20 00 00 00 00 00 ~ r1 = (s32)r2",
        "06 00 00 00 05 00 00 00 ~ gotol +0x5",
        "4d 21 01 00 00 00 00 00 ~ if r1 & r2 goto +0x1",
        "46 01 ff ff 07 00 00 00 ~ if w1 & 0x7 goto -0x1",
        "8d 03 00 00 00 00 00 00 ~ callx r3",
        "30 00 00 00 17 00 00 00 ~ r0 = *(u8 *)skb[0x17]",
        "48 30 00 00 00 00 00 00 ~ r0 = *(u16 *)skb[r3]",
        "9c 10 01 00 00 00 00 00 ~ w0 s%= w1",
        "b7 01 00 00 00 00 00 80 ~ r1 = -0x80000000",
        "b4 01 00 00 fb ff ff ff ~ w1 = -0x5",
        "c7 00 00 00 03 00 00 00 ~ r0 s>>= 0x3",
        "cc 21 00 00 00 00 00 00 ~ w1 s>>= w2",
        "91 11 00 80 00 00 00 00 ~ r1 = *(s8 *)(r1 - 0x8000)",
        "d6 01 ff 7f ff ff ff ff ~ if w1 s<= -0x1 goto +0x7fff",
        "05 00 00 00 00 00 00 00 ~ goto +0x0",
        "18 03 00 00 ef cd ab 89 00 00 00 00 67 45 23 01 ~ r3 = 0x123456789abcdef ll",
        "18 01 00 00 ff ff ff ff 00 00 00 00 ff ff ff ff ~ r1 = -0x1 ll",
    })
    void printsWhatLlvmObjdumpPrints(String hex, String text) {
        List<Insn> insns = InsnCodec.decode(HexFormat.ofDelimiter(" ").parseHex(hex), ByteOrder.LITTLE_ENDIAN);
        assertThat(Disassembler.create().lines(insns)).containsExactly(text);
    }

    @Test
    void optionsSlotNumbersHelperNamesDecimal() {
        List<Insn> prog = List.of(new LoadImm64(Reg.R1, -8), new CallHelper(1), new CallHelper(99999),
                new Goto(-3), new Exit());
        assertThat(Disassembler.create().withSlotNumbers(true).withHelperNames(true)
                        .withNumbers(NumberStyle.DECIMAL).disassemble(prog))
                .isEqualTo("   0: r1 = -8 ll\n"
                        + "   2: call bpf_map_lookup_elem\n"
                        + "   3: call 99999\n"
                        + "   4: goto -3\n"
                        + "   5: exit\n");
    }

    @Test
    void ownFormsForWhatLlvmCannotShow() {
        Disassembler d = Disassembler.create();
        assertThat(d.format(new CallLocal(-4))).isEqualTo("call pc-0x4");
        assertThat(d.format(LoadMapRef.map(Reg.R1, "counters"))).isEqualTo("r1 = map[counters] ll");
        assertThat(d.format(LoadMapRef.value(Reg.R2, ".rodata", 16))).isEqualTo("r2 = map_value[.rodata] + 0x10 ll");
        assertThat(d.format(io.jbpf.core.insn.LoadPseudo.mapFd(Reg.R1, 5))).isEqualTo("r1 = map[fd:5] ll");
    }
}
