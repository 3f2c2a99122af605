package io.jbpf.core.link.internal;

import io.jbpf.core.JbpfException;
import io.jbpf.core.link.AttachTargetNotFoundException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The file offset of a function in a 64-bit little-endian ELF file (an executable or shared
 * library), as uprobes want it: the symbol's address from {@code .symtab} or {@code .dynsym},
 * translated through the {@code PT_LOAD} segment that contains it. Only what uprobes need.
 */
public final class ElfSymbols {
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_DYNSYM = 11;
    private static final int STT_FUNC = 2;
    private static final int PT_LOAD = 1;

    private ElfSymbols() {}

    /** The file offset of function {@code symbol} in {@code elf}. */
    public static long offsetOf(Path elf, String symbol) {
        if (!Files.isRegularFile(elf)) {
            throw new AttachTargetNotFoundException("binary", elf.toString(), "no such file");
        }
        ByteBuffer b;
        try (FileChannel ch = FileChannel.open(elf, StandardOpenOption.READ)) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            b = m.order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new JbpfException("cannot read " + elf + ": " + e, e);
        }
        if (b.limit() < 64 || b.getInt(0) != 0x464c457f || b.get(4) != 2 || b.get(5) != 1) {
            throw new JbpfException(elf + " is not a 64-bit little-endian ELF file");
        }
        long value = findSymbol(b, symbol);
        if (value < 0) {
            throw new AttachTargetNotFoundException("function", symbol, "no function symbol of that name in " + elf);
        }
        return toFileOffset(b, value, elf, symbol);
    }

    private static long findSymbol(ByteBuffer b, String symbol) {
        long shoff = b.getLong(40);
        int shentsize = Short.toUnsignedInt(b.getShort(58));
        int shnum = Short.toUnsignedInt(b.getShort(60));
        byte[] want = symbol.getBytes(StandardCharsets.UTF_8);
        for (int pass = 0; pass < 2; pass++) {
            int wantType = pass == 0 ? SHT_SYMTAB : SHT_DYNSYM;
            for (int i = 0; i < shnum; i++) {
                int sh = (int) (shoff + (long) i * shentsize);
                if (b.getInt(sh + 4) != wantType) {
                    continue;
                }
                int off = (int) b.getLong(sh + 24);
                int size = (int) b.getLong(sh + 32);
                int strSh = (int) (shoff + (long) b.getInt(sh + 40) * shentsize);
                int strOff = (int) b.getLong(strSh + 24);
                int entsize = (int) b.getLong(sh + 56);
                for (int s = off; s + entsize <= off + size; s += entsize) {
                    int info = b.get(s + 4) & 0xf;
                    int shndx = Short.toUnsignedInt(b.getShort(s + 6));
                    long value = b.getLong(s + 8);
                    if (info == STT_FUNC && shndx != 0 && value != 0 && nameEquals(b, strOff + b.getInt(s), want)) {
                        return value;
                    }
                }
            }
        }
        return -1;
    }

    private static boolean nameEquals(ByteBuffer b, int at, byte[] want) {
        for (int i = 0; i < want.length; i++) {
            if (b.get(at + i) != want[i]) {
                return false;
            }
        }
        return b.get(at + want.length) == 0;
    }

    private static long toFileOffset(ByteBuffer b, long value, Path elf, String symbol) {
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != PT_LOAD) {
                continue;
            }
            long offset = b.getLong(ph + 8);
            long vaddr = b.getLong(ph + 16);
            long memsz = b.getLong(ph + 40);
            if (value >= vaddr && value < vaddr + memsz) {
                return value - vaddr + offset;
            }
        }
        throw new JbpfException("symbol '" + symbol + "' of " + elf + " lies in no loadable segment");
    }
}
