package io.jbpf.core.asm;

/** How the {@link Disassembler} writes immediates and offsets. */
public enum NumberStyle {
    /** Signed hexadecimal, as {@code llvm-objdump} 17 and newer print: {@code -0x8}, {@code +0x3}. */
    HEX,
    /** Signed decimal, as the kernel verifier prints: {@code -8}, {@code +3}. */
    DECIMAL;

    /** {@code value} signed, without a '+' for non-negative values. */
    String format(long value) {
        String magnitude = this == HEX
                ? "0x" + Long.toHexString(Math.abs(value))
                : Long.toString(Math.abs(value));
        if (value == Long.MIN_VALUE) {
            magnitude = this == HEX ? "0x8000000000000000" : "9223372036854775808";
        }
        return value < 0 ? "-" + magnitude : magnitude;
    }

    /** {@code value} with an explicit sign: {@code +0x3}, {@code -0x1}. */
    String signed(long value) {
        return value < 0 ? format(value) : "+" + format(value);
    }

    /** {@code " + 0x8"} or {@code " - 0x8"}: an offset written after a base. */
    String spacedOffset(long value) {
        return value < 0 ? " - " + format(value).substring(1) : " + " + format(value);
    }
}
