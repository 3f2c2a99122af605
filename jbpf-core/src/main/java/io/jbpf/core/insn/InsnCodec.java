package io.jbpf.core.insn;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Encodes instructions to the kernel's 8-byte format and decodes them back, in either byte order.
 * In little endian the register byte holds dst in its low nibble and src in its high nibble; in big
 * endian the nibbles swap, and the offset and immediate are big endian.
 *
 * <p>Decoding is strict: it throws {@link InvalidInstructionException} (naming the slot) for unknown
 * opcodes, registers above r10, non-zero unused fields, and truncated input. Because of that, for
 * every list {@code p} of instructions that encodes, {@code decode(encode(p)) .equals(p)}, except
 * for {@link RawInsn} words, which decode to the instruction they encode.
 */
public final class InsnCodec {
    private InsnCodec() {}

    /**
     * The bytes of a program.
     *
     * @throws InvalidInstructionException naming the list index of an instruction that cannot be
     *         encoded (an unresolved {@link LoadMapRef}, or a null element)
     */
    public static byte[] encode(List<? extends Insn> insns, ByteOrder order) {
        List<RawInsn> words = encodeRaw(insns);
        byte[] out = new byte[words.size() * RawInsn.BYTES];
        for (int i = 0; i < words.size(); i++) {
            words.get(i).writeTo(out, i * RawInsn.BYTES, checkOrder(order));
        }
        return out;
    }

    /** The bytes of one instruction (8, or 16 for a 64-bit immediate load). */
    public static byte[] encode(Insn insn, ByteOrder order) {
        return encode(Collections.singletonList(insn), order);
    }

    /** The raw words of a program, one per slot. */
    public static List<RawInsn> encodeRaw(List<? extends Insn> insns) {
        if (insns == null) {
            throw new InvalidInstructionException("the instruction list is null");
        }
        List<RawInsn> words = new ArrayList<>(insns.size() + 4);
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            if (insn == null) {
                throw new InvalidInstructionException(i, "instruction is null");
            }
            try {
                Collections.addAll(words, insn.accept(Encoder.INSTANCE));
            } catch (InvalidInstructionException e) {
                throw e.at(i);
            }
        }
        return words;
    }

    /**
     * The instructions in {@code bytes}.
     *
     * @throws InvalidInstructionException if the length is not a multiple of 8, or naming the slot
     *         of the first word that is not a valid instruction
     */
    public static List<Insn> decode(byte[] bytes, ByteOrder order) {
        return Collections.unmodifiableList(Decoder.decode(decodeRaw(bytes, order)));
    }

    /**
     * The raw 8-byte words in {@code bytes}, uninterpreted: this never fails on content.
     *
     * @throws InvalidInstructionException if the length is not a multiple of 8
     */
    public static List<RawInsn> decodeRaw(byte[] bytes, ByteOrder order) {
        if (bytes == null) {
            throw new InvalidInstructionException("the instruction bytes are null");
        }
        checkOrder(order);
        if (bytes.length % RawInsn.BYTES != 0) {
            throw new InvalidInstructionException(bytes.length / RawInsn.BYTES,
                    "truncated: " + bytes.length + " bytes is not a multiple of 8, the last "
                            + bytes.length % RawInsn.BYTES + " bytes are not a whole instruction");
        }
        List<RawInsn> words = new ArrayList<>(bytes.length / RawInsn.BYTES);
        for (int at = 0; at < bytes.length; at += RawInsn.BYTES) {
            words.add(RawInsn.readFrom(bytes, at, order));
        }
        return Collections.unmodifiableList(words);
    }

    /** The number of 8-byte slots the instructions occupy. */
    public static int slotCount(List<? extends Insn> insns) {
        int n = 0;
        for (Insn insn : Check.notNull(insns, "instruction list")) {
            n += Check.notNull(insn, "instruction").slots();
        }
        return n;
    }

    private static ByteOrder checkOrder(ByteOrder order) {
        if (order == null) {
            throw new InvalidInstructionException("the byte order is null");
        }
        return order;
    }
}
