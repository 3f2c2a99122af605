package io.jbpf.loader.elf;

/**
 * One section header.
 *
 * @param index      its index in the section header table
 * @param name       its name from the section header string table
 * @param type       {@code sh_type} ({@link #SHT_PROGBITS}, {@link #SHT_SYMTAB}, ...)
 * @param flags      {@code sh_flags} ({@link #SHF_ALLOC}, {@link #SHF_EXECINSTR}, ...)
 * @param offset     where its bytes start in the file
 * @param size       its size in bytes (for {@link #SHT_NOBITS}, the size it takes in memory)
 * @param link       {@code sh_link}: e.g. the string table of a symbol table
 * @param info       {@code sh_info}: e.g. the section a relocation section applies to
 * @param alignment  {@code sh_addralign}
 * @param entrySize  {@code sh_entsize}, for tables
 */
public record ElfSection(int index, String name, int type, long flags, long offset, long size, int link, int info,
        long alignment, long entrySize) {

    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final int SHT_SYMTAB_SHNDX = 18;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    /** Whether the section holds instructions. */
    public boolean executable() {
        return (flags & SHF_EXECINSTR) != 0;
    }

    /** Whether the file holds bytes for it (all but {@link #SHT_NOBITS} and {@link #SHT_NULL}). */
    public boolean hasBytes() {
        return type != SHT_NOBITS && type != SHT_NULL;
    }
}
