package io.jbpf.loader.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A parsed ELF64 relocatable object of either byte order, as clang writes for
 * {@code -target bpf}: its sections, symbols and relocations. Parsing only, no syscalls; every
 * offset and index is checked, and anything out of range throws {@link ElfException} naming the
 * section or symbol. Immutable.
 */
public final class ElfFile {
    /** {@code e_machine} of eBPF objects. */
    public static final int EM_BPF = 247;
    /** {@code e_type} of relocatable objects. */
    public static final int ET_REL = 1;

    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int SHN_LORESERVE = 0xff00;
    private static final int SHN_XINDEX = 0xffff;

    private final byte[] bytes;
    private final ByteOrder order;
    private final int type;
    private final int machine;
    private final List<ElfSection> sections;
    private final List<ElfSymbol> symbols;

    private ElfFile(byte[] bytes, ByteOrder order, int type, int machine, List<ElfSection> sections,
            List<ElfSymbol> symbols) {
        this.bytes = bytes;
        this.order = order;
        this.type = type;
        this.machine = machine;
        this.sections = sections;
        this.symbols = symbols;
    }

    /** Parses {@code data} (kept as a private copy). */
    public static ElfFile parse(byte[] data) {
        byte[] bytes = data.clone();
        if (bytes.length < EHDR_SIZE) {
            throw new ElfException("not an ELF file: " + bytes.length + " bytes is shorter than the ELF header");
        }
        if (bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new ElfException("not an ELF file: bad magic");
        }
        if (bytes[4] != 2) {
            throw new ElfException("not a 64-bit ELF file (class " + bytes[4] + "); eBPF objects are ELF64");
        }
        ByteOrder order = switch (bytes[5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> throw new ElfException("ELF header names no byte order (EI_DATA " + bytes[5] + ")");
        };
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        int type = b.getShort(16) & 0xffff;
        int machine = b.getShort(18) & 0xffff;
        long shoff = b.getLong(40);
        int shentsize = b.getShort(58) & 0xffff;
        int shnum = b.getShort(60) & 0xffff;
        int shstrndx = b.getShort(62) & 0xffff;
        if (shoff == 0) {
            return new ElfFile(bytes, order, type, machine, List.of(), List.of());
        }
        if (shentsize != SHDR_SIZE) {
            throw new ElfException("section headers are " + shentsize + " bytes, not " + SHDR_SIZE);
        }
        checkRange(bytes, shoff, SHDR_SIZE, "section header table");
        if (shnum == 0) { // more than SHN_LORESERVE sections: the count is in section 0
            shnum = (int) Math.min(Integer.MAX_VALUE, b.getLong((int) shoff + 32));
        }
        if (shstrndx == SHN_XINDEX) {
            shstrndx = b.getInt((int) shoff + 40);
        }
        checkRange(bytes, shoff, (long) shnum * SHDR_SIZE, "section header table of " + shnum + " entries");
        if (shstrndx < 0 || shstrndx >= shnum) {
            throw new ElfException("section name table index " + shstrndx + " is out of range (" + shnum + " sections)");
        }
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int at = (int) (shoff + (long) i * SHDR_SIZE);
            raw[i] = new long[] {b.getInt(at) & 0xffffffffL, b.getInt(at + 4) & 0xffffffffL, b.getLong(at + 8),
                b.getLong(at + 24), b.getLong(at + 32), b.getInt(at + 40) & 0xffffffffL, b.getInt(at + 44) & 0xffffffffL,
                b.getLong(at + 48), b.getLong(at + 56)};
        }
        long[] names = raw[shstrndx];
        if (names[1] != ElfSection.SHT_STRTAB) {
            throw new ElfException("section name table (section " + shstrndx + ") is not a string table");
        }
        checkRange(bytes, names[3], names[4], "section name table");
        List<ElfSection> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            long[] s = raw[i];
            String name = string(bytes, names[3], names[4], s[0], "name of section " + i);
            ElfSection section = new ElfSection(i, name, (int) s[1], s[2], s[3], s[4], (int) s[5], (int) s[6], s[7], s[8]);
            if (section.hasBytes()) {
                checkRange(bytes, section.offset(), section.size(), "section " + describe(section));
            }
            if (s[5] >= shnum && section.type() != ElfSection.SHT_NULL) {
                throw new ElfException("section " + describe(section) + " links to section " + section.link()
                        + ", out of range (" + shnum + " sections)");
            }
            sections.add(section);
        }
        List<ElfSection> immutable = Collections.unmodifiableList(sections);
        return new ElfFile(bytes, order, type, machine, immutable, readSymbols(bytes, b, immutable));
    }

    private static List<ElfSymbol> readSymbols(byte[] bytes, ByteBuffer b, List<ElfSection> sections) {
        ElfSection symtab = null;
        ElfSection shndx = null;
        for (ElfSection s : sections) {
            if (s.type() == ElfSection.SHT_SYMTAB) {
                if (symtab != null) {
                    throw new ElfException("more than one symbol table: " + describe(symtab) + " and " + describe(s));
                }
                symtab = s;
            } else if (s.type() == ElfSection.SHT_SYMTAB_SHNDX) {
                shndx = s;
            }
        }
        if (symtab == null) {
            return List.of();
        }
        if (symtab.entrySize() != SYM_SIZE || symtab.size() % SYM_SIZE != 0) {
            throw new ElfException("symbol table " + describe(symtab) + " has entries of " + symtab.entrySize()
                    + " bytes and size " + symtab.size() + "; ELF64 symbols are " + SYM_SIZE + " bytes");
        }
        ElfSection strtab = sections.get(symtab.link());
        if (strtab.type() != ElfSection.SHT_STRTAB) {
            throw new ElfException("symbol table " + describe(symtab) + " links to " + describe(strtab)
                    + ", which is not a string table");
        }
        int count = (int) (symtab.size() / SYM_SIZE);
        if (shndx != null && shndx.size() < count * 4L) {
            throw new ElfException("extended section index table " + describe(shndx) + " is shorter than the "
                    + count + " symbols");
        }
        List<ElfSymbol> symbols = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int at = (int) (symtab.offset() + (long) i * SYM_SIZE);
            String name = string(bytes, strtab.offset(), strtab.size(), b.getInt(at) & 0xffffffffL,
                    "name of symbol " + i);
            int info = b.get(at + 4) & 0xff;
            int other = b.get(at + 5) & 0xff;
            int section = b.getShort(at + 6) & 0xffff;
            if (section == SHN_XINDEX) {
                if (shndx == null) {
                    throw new ElfException("symbol " + i + " '" + name + "' uses an extended section index, but there is "
                            + "no SHT_SYMTAB_SHNDX section");
                }
                section = b.getInt((int) (shndx.offset() + i * 4L));
            }
            if (section != ElfSymbol.SHN_UNDEF && section < SHN_LORESERVE && section >= sections.size()) {
                throw new ElfException("symbol " + i + " '" + name + "' is in section " + section + ", out of range ("
                        + sections.size() + " sections)");
            }
            symbols.add(new ElfSymbol(i, name, info >>> 4, info & 0xf, other & 3, section, b.getLong(at + 8),
                    b.getLong(at + 16)));
        }
        return Collections.unmodifiableList(symbols);
    }

    private static String describe(ElfSection s) {
        return s.index() + " '" + s.name() + "'";
    }

    private static void checkRange(byte[] bytes, long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > bytes.length || length > bytes.length - offset) {
            throw new ElfException(what + " at offset " + offset + " (" + length + " bytes) runs past the end of the "
                    + bytes.length + "-byte file");
        }
    }

    private static String string(byte[] bytes, long tableOffset, long tableSize, long offset, String what) {
        if (offset >= tableSize) {
            if (offset == 0 && tableSize == 0) {
                return "";
            }
            throw new ElfException(what + ": string offset " + offset + " is outside its " + tableSize + "-byte table");
        }
        int start = (int) (tableOffset + offset);
        int end = start;
        int limit = (int) (tableOffset + tableSize);
        while (end < limit && bytes[end] != 0) {
            end++;
        }
        if (end == limit) {
            throw new ElfException(what + ": string at offset " + offset + " is not terminated");
        }
        return new String(bytes, start, end - start, StandardCharsets.UTF_8);
    }

    /** The file's byte order. */
    public ByteOrder order() {
        return order;
    }

    /** {@code e_type}: {@link #ET_REL} for objects clang writes. */
    public int type() {
        return type;
    }

    /** {@code e_machine}: {@link #EM_BPF} for eBPF objects. */
    public int machine() {
        return machine;
    }

    /** Every section, in header order (index 0 is the null section). */
    public List<ElfSection> sections() {
        return sections;
    }

    /** The first section called {@code name}. */
    public Optional<ElfSection> section(String name) {
        return sections.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Every symbol, in table order (index 0 is the null symbol). */
    public List<ElfSymbol> symbols() {
        return symbols;
    }

    /** A copy of {@code section}'s bytes (empty for sections without any, such as {@code .bss}). */
    public byte[] bytes(ElfSection section) {
        if (!section.hasBytes()) {
            return new byte[0];
        }
        byte[] out = new byte[(int) section.size()];
        System.arraycopy(bytes, (int) section.offset(), out, 0, out.length);
        return out;
    }

    /** The relocations that apply to {@code target}, from every REL/RELA section whose {@code sh_info} names it. */
    public List<ElfRelocation> relocations(ElfSection target) {
        List<ElfRelocation> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(bytes).order(order);
        for (ElfSection s : sections) {
            boolean rela = s.type() == ElfSection.SHT_RELA;
            if ((!rela && s.type() != ElfSection.SHT_REL) || s.info() != target.index()) {
                continue;
            }
            int entry = rela ? 24 : 16;
            if (s.size() % entry != 0) {
                throw new ElfException("relocation section " + describe(s) + " is not a whole number of " + entry
                        + "-byte entries");
            }
            for (long at = s.offset(); at < s.offset() + s.size(); at += entry) {
                long offset = b.getLong((int) at);
                long info = b.getLong((int) at + 8);
                long sym = info >>> 32;
                if (sym >= symbols.size()) {
                    throw new ElfException("relocation in " + describe(s) + " at offset " + offset + " names symbol " + sym
                            + ", out of range (" + symbols.size() + " symbols)");
                }
                if (offset < 0 || offset >= target.size()) {
                    throw new ElfException("relocation in " + describe(s) + " at offset " + offset + " lies outside "
                            + describe(target) + " (" + target.size() + " bytes)");
                }
                out.add(new ElfRelocation(offset, (int) info, symbols.get((int) sym), rela ? b.getLong((int) at + 16) : 0));
            }
        }
        return out;
    }
}
