package io.jbpf.core.insn;

import java.nio.ByteOrder;

/**
 * One raw 8-byte instruction word, field by field: the escape hatch for encodings this library
 * does not model. Encoding writes it verbatim; decoding never produces it (use
 * {@link InsnCodec#decodeRaw} to read words without interpreting them).
 *
 * @param opcode the opcode byte, 0..255
 * @param dst    the dst nibble, 0..15
 * @param src    the src nibble, 0..15
 * @param offset the 16-bit signed offset
 * @param imm    the 32-bit immediate
 */
public record RawInsn(int opcode, int dst, int src, int offset, int imm) implements Insn {
    /** Instruction word size in bytes. */
    public static final int BYTES = 8;

    /** Checks the field ranges. */
    public RawInsn {
        Check.range(opcode, 0, 0xff, "raw opcode");
        Check.range(dst, 0, 0xf, "raw dst field");
        Check.range(src, 0, 0xf, "raw src field");
        Check.off16(offset, "raw offset");
    }

    /** Writes the word at {@code at}: in big endian, dst is the high nibble of the register byte. */
    public void writeTo(byte[] out, int at, ByteOrder order) {
        out[at] = (byte) opcode;
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        out[at + 1] = (byte) (le ? (src << 4) | dst : (dst << 4) | src);
        put(out, at + 2, offset, 2, le);
        put(out, at + 4, imm, 4, le);
    }

    /** Reads the word at {@code at}; the caller guarantees 8 bytes are there. */
    public static RawInsn readFrom(byte[] in, int at, ByteOrder order) {
        boolean le = order == ByteOrder.LITTLE_ENDIAN;
        int regs = in[at + 1] & 0xff;
        int dst = le ? regs & 0xf : regs >>> 4;
        int src = le ? regs >>> 4 : regs & 0xf;
        int off = (short) get(in, at + 2, 2, le);
        int imm = get(in, at + 4, 4, le);
        return new RawInsn(in[at] & 0xff, dst, src, off, imm);
    }

    private static void put(byte[] out, int at, int value, int n, boolean le) {
        for (int i = 0; i < n; i++) {
            int shift = 8 * (le ? i : n - 1 - i);
            out[at + i] = (byte) (value >>> shift);
        }
    }

    private static int get(byte[] in, int at, int n, boolean le) {
        int v = 0;
        for (int i = 0; i < n; i++) {
            int shift = 8 * (le ? i : n - 1 - i);
            v |= (in[at + i] & 0xff) << shift;
        }
        return v;
    }

    @Override
    public <R> R accept(InsnVisitor<R> visitor) {
        return visitor.visit(this);
    }
}
