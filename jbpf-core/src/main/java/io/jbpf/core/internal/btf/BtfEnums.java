package io.jbpf.core.internal.btf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the enumerators of named enums out of raw BTF (e.g. {@code /sys/kernel/btf/vmlinux}), to
 * learn which program, map and attach types the running kernel knows. Only enums are decoded; every
 * other kind is skipped by its size. Parsing only: no syscalls.
 */
public final class BtfEnums {
    private static final int KIND_INT = 1;
    private static final int KIND_ARRAY = 3;
    private static final int KIND_STRUCT = 4;
    private static final int KIND_UNION = 5;
    private static final int KIND_ENUM = 6;
    private static final int KIND_FUNC_PROTO = 13;
    private static final int KIND_VAR = 14;
    private static final int KIND_DATASEC = 15;
    private static final int KIND_DECL_TAG = 17;
    private static final int KIND_ENUM64 = 19;

    private final Map<String, Map<String, Long>> enums;

    private BtfEnums(Map<String, Map<String, Long>> enums) {
        this.enums = enums;
    }

    /** The running kernel's enums, or empty when it has no BTF. */
    public static Optional<BtfEnums> kernel() {
        Path vmlinux = Path.of("/sys/kernel/btf/vmlinux");
        if (!Files.isReadable(vmlinux)) {
            return Optional.empty();
        }
        try {
            return Optional.of(parse(Files.readAllBytes(vmlinux)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Parses raw BTF; throws {@link IllegalArgumentException} naming what is malformed. */
    public static BtfEnums parse(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        if (raw.length < 24) {
            throw new IllegalArgumentException("BTF is " + raw.length + " bytes, shorter than its header");
        }
        if ((b.getShort(0) & 0xffff) != 0xeb9f) {
            b.order(ByteOrder.BIG_ENDIAN);
            if ((b.getShort(0) & 0xffff) != 0xeb9f) {
                throw new IllegalArgumentException("not BTF: bad magic");
            }
        }
        int hdrLen = b.getInt(4);
        int typeOff = hdrLen + b.getInt(8);
        int typeEnd = typeOff + b.getInt(12);
        int strOff = hdrLen + b.getInt(16);
        int strLen = b.getInt(20);
        if (typeEnd > raw.length || strOff + strLen > raw.length || typeOff < hdrLen) {
            throw new IllegalArgumentException("BTF sections run past the end of the data");
        }
        Map<String, Map<String, Long>> enums = new LinkedHashMap<>();
        int p = typeOff;
        while (p < typeEnd) {
            if (p + 12 > typeEnd) {
                throw new IllegalArgumentException("BTF type at offset " + p + " is truncated");
            }
            int nameOff = b.getInt(p);
            int info = b.getInt(p + 4);
            int vlen = info & 0xffff;
            int kind = (info >>> 24) & 0x1f;
            p += 12;
            switch (kind) {
                case KIND_INT, KIND_VAR, KIND_DECL_TAG -> p += 4;
                case KIND_ARRAY -> p += 12;
                case KIND_STRUCT, KIND_UNION, KIND_DATASEC -> p += vlen * 12;
                case KIND_FUNC_PROTO -> p += vlen * 8;
                case KIND_ENUM, KIND_ENUM64 -> {
                    int member = kind == KIND_ENUM ? 8 : 12;
                    if (nameOff != 0 && p + vlen * member <= typeEnd) {
                        Map<String, Long> values = new LinkedHashMap<>();
                        for (int i = 0; i < vlen; i++) {
                            int m = p + i * member;
                            long value = kind == KIND_ENUM ? b.getInt(m + 4)
                                    : (b.getInt(m + 4) & 0xffffffffL) | ((long) b.getInt(m + 8) << 32);
                            values.put(string(raw, strOff, strLen, b.getInt(m)), value);
                        }
                        enums.putIfAbsent(string(raw, strOff, strLen, nameOff), values);
                    }
                    p += vlen * member;
                }
                default -> {
                    if (kind > KIND_ENUM64 || kind == 0) {
                        throw new IllegalArgumentException("BTF type at offset " + (p - 12) + " has unknown kind " + kind);
                    }
                }
            }
        }
        return new BtfEnums(enums);
    }

    private static String string(byte[] raw, int strOff, int strLen, int off) {
        if (off < 0 || off >= strLen) {
            throw new IllegalArgumentException("BTF string offset " + off + " is outside the string section");
        }
        int start = strOff + off;
        int end = start;
        while (end < strOff + strLen && raw[end] != 0) {
            end++;
        }
        return new String(raw, start, end - start, StandardCharsets.UTF_8);
    }

    /** The enumerators of enum {@code name} (name → value), empty when there is no such enum. */
    public Map<String, Long> values(String name) {
        return enums.getOrDefault(name, Map.of());
    }
}
