package io.jbpf.core.internal.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Builds one netlink request: the {@code nlmsghdr}, a family header (ifinfomsg, tcmsg, ...) and
 * attributes as TLVs, nested with {@link #beginNested}/{@link #endNested}. The length, sequence
 * number and port are filled in by {@link NetlinkSocket}. Host byte order, as netlink uses.
 */
public final class NetlinkMessage {
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());
    private final Deque<Integer> nests = new ArrayDeque<>();
    private final int type;
    private final int flags;

    private NetlinkMessage(int type, int flags) {
        this.type = type;
        this.flags = flags;
        buf.putInt(0); // length, set by bytes()
        buf.putShort((short) type);
        buf.putShort((short) flags);
        buf.putInt(0); // seq
        buf.putInt(0); // port
    }

    /** A request of {@code type} with {@code flags} ({@code NLM_F_REQUEST} is added). */
    public static NetlinkMessage request(int type, int flags) {
        return new NetlinkMessage(type, flags | Netlink.NLM_F_REQUEST);
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    private void ensure(int more) {
        if (buf.remaining() < more + 8) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more + 64))
                    .order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    private void pad() {
        int aligned = Netlink.align(buf.position());
        while (buf.position() < aligned) {
            buf.put((byte) 0);
        }
    }

    /** Appends raw bytes of the family header (already laid out), padded to 4. */
    public NetlinkMessage header(byte[] familyHeader) {
        ensure(familyHeader.length + 4);
        buf.put(familyHeader);
        pad();
        return this;
    }

    /** An attribute with raw bytes as payload. */
    public NetlinkMessage attr(int attrType, byte[] payload) {
        ensure(payload.length + 8);
        buf.putShort((short) (4 + payload.length));
        buf.putShort((short) attrType);
        buf.put(payload);
        pad();
        return this;
    }

    public NetlinkMessage attrU32(int attrType, int value) {
        return attr(attrType, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(value).array());
    }

    public NetlinkMessage attrU16(int attrType, int value) {
        return attr(attrType, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) value).array());
    }

    /** A NUL-terminated string attribute. */
    public NetlinkMessage attrString(int attrType, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return attr(attrType, Arrays.copyOf(s, s.length + 1));
    }

    /** Opens a nested attribute; {@code attrType} may include {@link Netlink#NLA_F_NESTED}. */
    public NetlinkMessage beginNested(int attrType) {
        ensure(8);
        nests.push(buf.position());
        buf.putShort((short) 0);
        buf.putShort((short) attrType);
        return this;
    }

    /** Closes the innermost nested attribute. */
    public NetlinkMessage endNested() {
        int start = nests.pop();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The encoded message with {@code seq} set. */
    public byte[] bytes(int seq) {
        if (!nests.isEmpty()) {
            throw new IllegalStateException("unclosed nested netlink attribute");
        }
        byte[] out = Arrays.copyOf(buf.array(), buf.position());
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.nativeOrder());
        b.putInt(0, out.length);
        b.putInt(8, seq);
        return out;
    }
}
