package io.jbpf.loader.elf;

/**
 * One symbol table entry.
 *
 * @param index         its index in the symbol table
 * @param name          its name ("" for none)
 * @param binding       {@link #STB_LOCAL}, {@link #STB_GLOBAL} or {@link #STB_WEAK}
 * @param type          {@link #STT_NOTYPE}, {@link #STT_OBJECT}, {@link #STT_FUNC}, {@link #STT_SECTION}, ...
 * @param visibility    {@code st_other & 3}: default, internal, hidden, protected
 * @param sectionIndex  the section it is defined in ({@link #SHN_UNDEF} for externs, {@link #SHN_ABS}, ...)
 * @param value         its offset in that section
 * @param size          its size in bytes
 */
public record ElfSymbol(int index, String name, int binding, int type, int visibility, int sectionIndex, long value,
        long size) {

    public static final int STB_LOCAL = 0;
    public static final int STB_GLOBAL = 1;
    public static final int STB_WEAK = 2;

    public static final int STT_NOTYPE = 0;
    public static final int STT_OBJECT = 1;
    public static final int STT_FUNC = 2;
    public static final int STT_SECTION = 3;
    public static final int STT_FILE = 4;

    public static final int SHN_UNDEF = 0;
    public static final int SHN_ABS = 0xfff1;
    public static final int SHN_COMMON = 0xfff2;

    /** Whether it is declared here but defined elsewhere (an {@code extern}). */
    public boolean undefined() {
        return sectionIndex == SHN_UNDEF;
    }
}
