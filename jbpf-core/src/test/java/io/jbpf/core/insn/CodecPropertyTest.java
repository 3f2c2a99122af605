package io.jbpf.core.insn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the codec over many seeded random programs; a failure names its seed. */
class CodecPropertyTest {
    private static final ByteOrder[] ORDERS = {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN};

    @Test
    void decodeInvertsEncode() {
        for (long seed = 0; seed < 2000; seed++) {
            InsnGen gen = new InsnGen(seed);
            List<Insn> program = gen.program();
            ByteOrder order = ORDERS[gen.random().nextInt(2)];
            byte[] bytes = InsnCodec.encode(program, order);
            assertThat(bytes).as("seed %d", seed).hasSize(8 * InsnCodec.slotCount(program));
            assertThat(InsnCodec.decode(bytes, order)).as("seed %d", seed).isEqualTo(program);
        }
    }

    @Test
    void byteOrdersDifferOnlyInFieldLayout() {
        for (long seed = 0; seed < 500; seed++) {
            List<Insn> program = new InsnGen(seed).program();
            byte[] le = InsnCodec.encode(program, ByteOrder.LITTLE_ENDIAN);
            byte[] be = InsnCodec.encode(program, ByteOrder.BIG_ENDIAN);
            for (int at = 0; at < le.length; at += 8) {
                assertThat(be[at]).as("seed %d, opcode byte at %d", seed, at).isEqualTo(le[at]);
                int regsLe = le[at + 1] & 0xff;
                int regsBe = be[at + 1] & 0xff;
                assertThat(regsBe).isEqualTo(((regsLe & 0xf) << 4) | (regsLe >>> 4));
                assertThat(new byte[] {be[at + 2], be[at + 3]}).isEqualTo(new byte[] {le[at + 3], le[at + 2]});
                assertThat(new byte[] {be[at + 4], be[at + 5], be[at + 6], be[at + 7]})
                        .isEqualTo(new byte[] {le[at + 7], le[at + 6], le[at + 5], le[at + 4]});
            }
        }
    }

    /** Fuzz: any bytes either decode to instructions that encode back to the same bytes, or are rejected. */
    @Test
    void arbitraryBytesRoundTripOrFailCleanly() {
        for (long seed = 0; seed < 3000; seed++) {
            Random r = new Random(seed);
            ByteOrder order = ORDERS[r.nextInt(2)];
            byte[] bytes = words(r);
            List<Insn> decoded;
            try {
                decoded = InsnCodec.decode(bytes, order);
            } catch (InvalidInstructionException e) {
                assertThat(e.index()).as("seed %d", seed).isBetween(0, bytes.length / 8);
                assertThat(e.getMessage()).contains("instruction " + e.index());
                continue;
            }
            assertThat(InsnCodec.encode(decoded, order)).as("seed %d", seed).isEqualTo(bytes);
        }
    }

    /** Up to 6 raw words biased towards plausible opcodes: a random opcode byte and mostly-zero fields. */
    private static byte[] words(Random r) {
        int n = r.nextInt(7);
        byte[] out = new byte[n * 8];
        r.nextBytes(out);
        for (int at = 0; at < out.length; at += 8) {
            if ((out[at + 2] & 1) == 0) {
                out[at + 1] &= 0x3f;
                out[at + 2] = 0;
                out[at + 3] = 0;
            }
        }
        return out;
    }

    @Test
    void rawWordsEncodeVerbatim() {
        for (long seed = 0; seed < 300; seed++) {
            InsnGen gen = new InsnGen(seed);
            RawInsn raw = (RawInsn) gen.raw();
            ByteOrder order = ORDERS[gen.random().nextInt(2)];
            byte[] bytes = InsnCodec.encode(List.of(raw), order);
            assertThat(InsnCodec.decodeRaw(bytes, order)).as("seed %d", seed).containsExactly(raw);
        }
    }

    @Test
    void unresolvedMapReferencesDoNotEncode() {
        for (long seed = 0; seed < 200; seed++) {
            Insn ref = new InsnGen(seed).mapRef();
            assertThatThrownBy(() -> InsnCodec.encode(List.of(new Exit(), ref), ByteOrder.LITTLE_ENDIAN))
                    .as("seed %d", seed)
                    .isInstanceOf(InvalidInstructionException.class)
                    .hasMessageContaining("instruction 1")
                    .hasMessageContaining(((LoadMapRef) ref).mapName());
        }
    }
}
