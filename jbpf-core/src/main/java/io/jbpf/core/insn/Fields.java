package io.jbpf.core.insn;

/** Field checks used while decoding raw words. */
final class Fields {
    static final int DST = 1;
    static final int SRC = 2;
    static final int OFF = 4;
    static final int IMM = 8;

    private Fields() {}

    static Reg reg(int number, String field) {
        if (number > 10) {
            throw new InvalidInstructionException(field + " register r" + number + " does not exist (r0..r10)");
        }
        return Reg.of(number);
    }

    /** Requires the fields in {@code mask} to be zero: a kind of instruction that does not use them. */
    static void zero(RawInsn w, String what, int mask) {
        check(w, what, mask & DST, w.dst(), "dst");
        check(w, what, mask & SRC, w.src(), "src");
        check(w, what, mask & OFF, w.offset(), "offset");
        check(w, what, mask & IMM, w.imm(), "imm");
    }

    private static void check(RawInsn w, String what, int selected, int value, String field) {
        if (selected != 0 && value != 0) {
            throw new InvalidInstructionException(what + " (opcode " + hex(w.opcode()) + ") must have "
                    + field + " 0, found " + value);
        }
    }

    static String hex(int opcode) {
        return String.format("0x%02x", opcode);
    }

    static InvalidInstructionException unknown(RawInsn w) {
        return new InvalidInstructionException("unknown opcode " + hex(w.opcode()));
    }
}
