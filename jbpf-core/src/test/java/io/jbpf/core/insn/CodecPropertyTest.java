package io.jbpf.core.insn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class CodecPropertyTest {

    @Provide
    Arbitrary<List<Insn>> programs() {
        return InsnArbitraries.program();
    }

    @Provide
    Arbitrary<ByteOrder> orders() {
        return Arbitraries.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    @Property(tries = 2000)
    void decodeInvertsEncode(@ForAll("programs") List<Insn> program, @ForAll("orders") ByteOrder order) {
        byte[] bytes = InsnCodec.encode(program, order);

        assertThat(bytes).hasSize(8 * InsnCodec.slotCount(program));
        assertThat(InsnCodec.decode(bytes, order)).isEqualTo(program);
    }

    @Property(tries = 500)
    void byteOrdersDifferOnlyInFieldLayout(@ForAll("programs") List<Insn> program) {
        byte[] le = InsnCodec.encode(program, ByteOrder.LITTLE_ENDIAN);
        byte[] be = InsnCodec.encode(program, ByteOrder.BIG_ENDIAN);
        for (int at = 0; at < le.length; at += 8) {
            assertThat(be[at]).as("opcode byte at %d", at).isEqualTo(le[at]);
            int regsLe = le[at + 1] & 0xff;
            int regsBe = be[at + 1] & 0xff;
            assertThat(regsBe).isEqualTo(((regsLe & 0xf) << 4) | (regsLe >>> 4));
            assertThat(new byte[] {be[at + 2], be[at + 3]}).isEqualTo(new byte[] {le[at + 3], le[at + 2]});
            assertThat(new byte[] {be[at + 4], be[at + 5], be[at + 6], be[at + 7]})
                    .isEqualTo(new byte[] {le[at + 7], le[at + 6], le[at + 5], le[at + 4]});
        }
    }

    /** Fuzz: any bytes either decode to instructions that encode back to the same bytes, or are rejected. */
    @Property(tries = 3000)
    void arbitraryBytesRoundTripOrFailCleanly(@ForAll("words") byte[] bytes, @ForAll("orders") ByteOrder order) {
        List<Insn> decoded;
        try {
            decoded = InsnCodec.decode(bytes, order);
        } catch (InvalidInstructionException e) {
            assertThat(e.index()).isBetween(0, bytes.length / 8);
            assertThat(e.getMessage()).contains("instruction " + e.index());
            return;
        }
        assertThat(InsnCodec.encode(decoded, order)).isEqualTo(bytes);
    }

    @Provide
    Arbitrary<byte[]> words() {
        // raw words biased towards plausible opcodes: a random opcode byte and mostly-zero fields
        Arbitrary<byte[]> word = Arbitraries.bytes().array(byte[].class).ofSize(8).map(w -> {
            if ((w[2] & 1) == 0) {
                w[1] &= 0x3f;
                w[2] = 0;
                w[3] = 0;
            }
            return w;
        });
        return word.list().ofMinSize(0).ofMaxSize(6).map(ws -> {
            byte[] out = new byte[ws.size() * 8];
            for (int i = 0; i < ws.size(); i++) {
                System.arraycopy(ws.get(i), 0, out, i * 8, 8);
            }
            return out;
        });
    }

    @Property(tries = 300)
    void rawWordsEncodeVerbatim(@ForAll("rawWords") Insn raw, @ForAll("orders") ByteOrder order) {
        RawInsn r = (RawInsn) raw;
        byte[] bytes = InsnCodec.encode(raw, order);
        assertThat(InsnCodec.decodeRaw(bytes, order)).containsExactly(r);
    }

    @Provide
    Arbitrary<Insn> rawWords() {
        return InsnArbitraries.raw();
    }

    @Property(tries = 200)
    void unresolvedMapReferencesDoNotEncode(@ForAll("mapRefs") Insn ref) {
        assertThatThrownBy(() -> InsnCodec.encode(List.of(new Exit(), ref), ByteOrder.LITTLE_ENDIAN))
                .isInstanceOf(InvalidInstructionException.class)
                .hasMessageContaining("instruction 1")
                .hasMessageContaining(((LoadMapRef) ref).mapName());
    }

    @Provide
    Arbitrary<Insn> mapRefs() {
        return InsnArbitraries.mapRef();
    }
}
