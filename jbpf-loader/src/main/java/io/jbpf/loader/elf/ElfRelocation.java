package io.jbpf.loader.elf;

/**
 * One relocation entry ({@code Elf64_Rel} or {@code Elf64_Rela}).
 *
 * @param offset  where in the target section it applies, in bytes
 * @param type    the machine-specific type ({@code R_BPF_64_64}, {@code R_BPF_64_32}, ...)
 * @param symbol  the symbol it refers to
 * @param addend  the explicit addend of a RELA entry, 0 for REL
 */
public record ElfRelocation(long offset, int type, ElfSymbol symbol, long addend) {
    /** No relocation. */
    public static final int R_BPF_NONE = 0;
    /** A 64-bit immediate load of a map or global variable address (two instruction slots). */
    public static final int R_BPF_64_64 = 1;
    /** 64-bit absolute data, e.g. in {@code .maps} or BTF sections. */
    public static final int R_BPF_64_ABS64 = 2;
    /** 32-bit absolute data. */
    public static final int R_BPF_64_ABS32 = 3;
    /** 32-bit data with no runtime meaning (DWARF). */
    public static final int R_BPF_64_NODYLD32 = 4;
    /** A call to a BPF-to-BPF function (pc-relative imm32). */
    public static final int R_BPF_64_32 = 10;
}
