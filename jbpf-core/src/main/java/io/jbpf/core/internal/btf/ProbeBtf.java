package io.jbpf.core.internal.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** The smallest useful BTF: type 1 is a signed 32-bit {@code int}. Enough for maps that insist on BTF keys and values. */
public final class ProbeBtf {
    private ProbeBtf() {}

    /** Type id of {@code int} in {@link #intOnly()}. */
    public static final int INT_TYPE_ID = 1;

    /** Raw BTF, in host byte order, holding one type: {@code int}. */
    public static byte[] intOnly() {
        byte[] strings = "\0int\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int typesLen = 16;
        ByteBuffer b = ByteBuffer.allocate(24 + typesLen + strings.length).order(ByteOrder.nativeOrder());
        b.putShort((short) 0xeb9f).put((byte) 1).put((byte) 0);
        b.putInt(24); // hdr_len
        b.putInt(0).putInt(typesLen); // type_off, type_len
        b.putInt(typesLen).putInt(strings.length); // str_off, str_len
        b.putInt(1); // name_off -> "int"
        b.putInt(1 << 24); // kind INT, vlen 0
        b.putInt(4); // size
        b.putInt((1 << 24) | 32); // encoding SIGNED, offset 0, 32 bits
        b.put(strings);
        return b.array();
    }
}
