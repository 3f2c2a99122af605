package io.jbpf.core.insn;

/** Field checks shared by the instruction records; each failure is an {@link InvalidInstructionException}. */
final class Check {
    private Check() {}

    static <T> T notNull(T value, String what) {
        if (value == null) {
            throw new InvalidInstructionException(what + " is missing (null)");
        }
        return value;
    }

    /** A 16-bit signed field (jump offset, memory offset). */
    static int off16(int value, String what) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new InvalidInstructionException(
                    what + " " + value + " does not fit in the signed 16-bit offset field ("
                            + Short.MIN_VALUE + ".." + Short.MAX_VALUE + ")");
        }
        return value;
    }

    static int range(int value, int min, int max, String what) {
        if (value < min || value > max) {
            throw new InvalidInstructionException(what + " " + value + " is outside " + min + ".." + max);
        }
        return value;
    }

    static Size sizeIn(Size size, String insn, Size... allowed) {
        notNull(size, insn + " size");
        for (Size s : allowed) {
            if (s == size) {
                return size;
            }
        }
        throw new InvalidInstructionException(insn + " does not support size " + size);
    }
}
