package io.jbpf.loader.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the BPF objects that a program embeds as bytes, as libbpf skeletons ({@code bpftool gen
 * skeleton}) do: every {@code "\x7fELF"} whose header says ELFCLASS64 and {@code e_machine}
 * EM_BPF, sliced to the object's full length, which its headers give (an ELF file has no length
 * field): the end of its section header table ({@code e_shoff + e_shnum * e_shentsize}), of its
 * program header table, and of every section with bytes in the file, whichever is last.
 * Candidates whose headers do not hold together (tables past the end of the file, a wrong entry
 * size) are no objects and are passed over.
 */
public final class EmbeddedBpfObjects {
    static final int EM_BPF = 247;
    private static final int ELFCLASS64 = 2;
    private static final int EHDR_SIZE = 64;
    private static final int SHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int SHT_NOBITS = 8;

    /** An object found at {@code offset} of the containing file. */
    public record Found(long offset, byte[] bytes) {
    }

    private EmbeddedBpfObjects() {}

    /** The BPF objects embedded in {@code file}, in the order they appear. */
    public static List<Found> find(byte[] file) {
        List<Found> found = new ArrayList<>();
        int from = 0;
        while (true) {
            int at = indexOfMagic(file, from);
            if (at < 0) {
                return found;
            }
            long length = objectLength(file, at);
            if (length > 0) {
                found.add(new Found(at, Arrays.copyOfRange(file, at, (int) (at + length))));
                from = (int) (at + length); // objects do not nest
            } else {
                from = at + 1;
            }
        }
    }

    /** The length of the BPF object whose header starts at {@code at}, or -1 if none starts there. */
    static long objectLength(byte[] file, int at) {
        long avail = file.length - (long) at;
        if (avail < EHDR_SIZE || file[at + 4] != ELFCLASS64) {
            return -1;
        }
        ByteOrder order = switch (file[at + 5]) {
            case 1 -> ByteOrder.LITTLE_ENDIAN;
            case 2 -> ByteOrder.BIG_ENDIAN;
            default -> null;
        };
        if (order == null) {
            return -1;
        }
        ByteBuffer h = ByteBuffer.wrap(file, at, (int) Math.min(avail, Integer.MAX_VALUE)).slice().order(order);
        if (Short.toUnsignedInt(h.getShort(18)) != EM_BPF) {
            return -1;
        }
        long phoff = h.getLong(32);
        long shoff = h.getLong(40);
        int phentsize = Short.toUnsignedInt(h.getShort(54));
        int phnum = Short.toUnsignedInt(h.getShort(56));
        int shentsize = Short.toUnsignedInt(h.getShort(58));
        long shnum = Short.toUnsignedInt(h.getShort(60));
        if (shoff <= 0 || shentsize != SHDR_SIZE || shoff > avail - SHDR_SIZE) {
            return -1;
        }
        if (shnum == 0) {
            shnum = h.getLong((int) shoff + 32); // extended numbering: the count is section 0's sh_size
        }
        if (shnum <= 0 || shnum > (avail - shoff) / SHDR_SIZE) {
            return -1;
        }
        long end = Math.max(EHDR_SIZE, shoff + shnum * SHDR_SIZE);
        if (phnum > 0) {
            if (phentsize != PHDR_SIZE || phoff < 0 || phoff > avail - (long) phnum * PHDR_SIZE) {
                return -1;
            }
            end = Math.max(end, phoff + (long) phnum * PHDR_SIZE);
        }
        for (long i = 1; i < shnum; i++) {
            int sh = (int) (shoff + i * SHDR_SIZE);
            int type = h.getInt(sh + 4);
            long offset = h.getLong(sh + 24);
            long size = h.getLong(sh + 32);
            if (type == SHT_NOBITS || size == 0) {
                continue;
            }
            if (offset < 0 || size < 0 || offset > avail || size > avail - offset) {
                return -1;
            }
            end = Math.max(end, offset + size);
        }
        return end;
    }

    private static int indexOfMagic(byte[] b, int from) {
        for (int i = Math.max(from, 0); i + 4 <= b.length; i++) {
            if (b[i] == 0x7f && b[i + 1] == 'E' && b[i + 2] == 'L' && b[i + 3] == 'F') {
                return i;
            }
        }
        return -1;
    }
}
