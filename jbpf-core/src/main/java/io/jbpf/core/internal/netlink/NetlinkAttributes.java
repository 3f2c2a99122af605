package io.jbpf.core.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Attributes (TLVs) parsed from part of a netlink message; the last of a repeated type wins. */
public final class NetlinkAttributes {
    private final Map<Integer, ByteBuffer> byType = new HashMap<>();

    private NetlinkAttributes() {}

    /** The attributes in {@code b} from {@code offset} to {@code end}. */
    public static NetlinkAttributes parse(ByteBuffer b, int offset, int end) {
        NetlinkAttributes a = new NetlinkAttributes();
        int p = offset;
        while (p + 4 <= end) {
            int len = Short.toUnsignedInt(b.getShort(p));
            int type = Short.toUnsignedInt(b.getShort(p + 2)) & Netlink.NLA_TYPE_MASK;
            if (len < 4 || p + len > end) {
                break;
            }
            ByteBuffer payload = b.slice(p + 4, len - 4).order(ByteOrder.nativeOrder());
            a.byType.put(type, payload);
            p += Netlink.align(len);
        }
        return a;
    }

    public boolean has(int type) {
        return byType.containsKey(type);
    }

    public Optional<ByteBuffer> get(int type) {
        return Optional.ofNullable(byType.get(type));
    }

    public Optional<Integer> u32(int type) {
        return get(type).filter(b -> b.capacity() >= 4).map(b -> b.getInt(0));
    }

    public Optional<Integer> u8(int type) {
        return get(type).filter(b -> b.capacity() >= 1).map(b -> Byte.toUnsignedInt(b.get(0)));
    }

    /** A string attribute without its NUL. */
    public Optional<String> string(int type) {
        return get(type).map(b -> {
            int n = 0;
            while (n < b.capacity() && b.get(n) != 0) {
                n++;
            }
            byte[] s = new byte[n];
            b.get(0, s);
            return new String(s, StandardCharsets.UTF_8);
        });
    }

    /** The attributes nested in attribute {@code type}. */
    public Optional<NetlinkAttributes> nested(int type) {
        return get(type).map(b -> parse(b, 0, b.capacity()));
    }
}
