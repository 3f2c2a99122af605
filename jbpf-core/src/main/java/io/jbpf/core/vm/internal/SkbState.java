package io.jbpf.core.vm.internal;

import io.jbpf.core.vm.SkbContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A socket buffer: {@code struct __sk_buff} as a special region (plain fields from a backing
 * array, pointer fields as packet addresses, only the fields the verifier lets programs write
 * writable), and the packet the skb helpers read and change.
 */
public final class SkbState extends ContextState implements SpecialRegion {
    private static final int HEADROOM = 64;
    private static final int ETH_HLEN = 14;

    private final Memory memory;
    private final boolean socketFilter;
    private final byte[] fields = new byte[SkbContext.SIZE];
    private final ByteBuffer view = ByteBuffer.wrap(fields).order(ByteOrder.LITTLE_ENDIAN);
    private final int ctxRegion;
    private final int packet;
    private int mac;
    private int data;
    private int end;

    SkbState(Memory memory, SkbContext ctx) {
        this.memory = memory;
        this.socketFilter = ctx.socketFilter();
        byte[] bytes = ctx.packet();
        byte[] buf = new byte[HEADROOM + bytes.length];
        System.arraycopy(bytes, 0, buf, HEADROOM, bytes.length);
        this.mac = HEADROOM;
        this.data = socketFilter ? HEADROOM + ETH_HLEN : HEADROOM;
        this.end = HEADROOM + bytes.length;
        this.packet = memory.add("packet", buf, data, end, false);
        this.ctxRegion = memory.addSpecial("context (struct __sk_buff)", SkbContext.SIZE, this);
        memory.markPacket(packet);
        memory.markContext(ctxRegion);
        view.putInt(0, end - data);
        view.putInt(4, packetType(bytes));
        view.putInt(8, ctx.mark());
        view.putInt(16, protocol(bytes));
        view.putInt(32, ctx.priority());
        view.putInt(36, ctx.ingressIfindex());
        view.putInt(40, ctx.ifindex());
        view.putInt(160, end - data);
    }

    /**
     * {@code eth_type_trans} on the loopback device, whose address and broadcast address are all
     * zeros: every group address (even ff:ff:ff:ff:ff:ff) is PACKET_MULTICAST, any other address
     * but zeros PACKET_OTHERHOST.
     */
    private static int packetType(byte[] p) {
        if ((p[0] & 1) != 0) {
            return 2;
        }
        for (int i = 0; i < 6; i++) {
            if (p[i] != 0) {
                return 3;
            }
        }
        return 0;
    }

    /** {@code skb->protocol}: the EtherType as stored (network order), or ETH_P_802_3/802_2. */
    private static int protocol(byte[] p) {
        int type = (p[12] & 0xff) << 8 | (p[13] & 0xff);
        if (type < 0x600) {
            boolean raw = p.length >= 16 && p[14] == (byte) 0xff && p[15] == (byte) 0xff;
            type = raw ? 0x0001 : 0x0004;
        }
        return Short.reverseBytes((short) type) & 0xffff;
    }

    @Override
    public long load(int offset, int size) {
        switch (offset) {
            case 76:
                return size == 4 ? Memory.address(packet, data) : REFUSED;
            case 80:
                return size == 4 ? Memory.address(packet, end) : REFUSED;
            case 140:
                return size == 4 ? Memory.address(packet, data) : REFUSED;
            case 144:
            case 168:
                return size == 8 ? 0 : REFUSED;
            default:
                break;
        }
        if (offset + size > 192 || (offset & (size - 1)) != 0 && size != 1) {
            return REFUSED;
        }
        if (offset == 0) {
            view.putInt(0, end - data);
        }
        switch (size) {
            case 1:
                return fields[offset] & 0xffL;
            case 2:
                return view.getShort(offset) & 0xffffL;
            case 4:
                return view.getInt(offset) & 0xffffffffL;
            default:
                return view.getLong(offset);
        }
    }

    @Override
    public boolean store(int offset, int size, long value) {
        boolean word = size == 4 && (offset == 8 || offset == 12 || offset == 32 || offset == 44
                || offset >= 48 && offset < 68 || offset == 72);
        boolean stamp = size == 8 && offset == 152;
        if (!word && !stamp) {
            return false;
        }
        if (size == 4) {
            view.putInt(offset, (int) value);
        } else {
            view.putLong(offset, value);
        }
        return true;
    }

    /** Where the link-layer (MAC) header starts in {@link #packetArray()}; the network header is 14 bytes on. */
    public int macOffset() {
        return mac;
    }

    /** The packet as the skb helpers see it: offset 0 is skb->data. */
    public byte[] packetArray() {
        return memory.array(packet);
    }

    /** Where skb->data is in {@link #packetArray()}. */
    public int dataOffset() {
        return data;
    }

    /** The length from skb->data to the end. */
    public int length() {
        return end - data;
    }

    @Override
    public long packetLoad(int offset, int size) {
        int base;
        if (offset >= -0x200000 && offset < -0x100000) {
            base = mac + offset + 0x200000;
        } else if (offset >= -0x100000 && offset < 0) {
            base = mac + ETH_HLEN + offset + 0x100000;
        } else {
            base = data + offset;
        }
        if (offset < -0x200000 || base < mac || base + size > end) {
            return -1;
        }
        byte[] buf = memory.array(packet);
        long v = 0;
        for (int i = 0; i < size; i++) {
            v = v << 8 | (buf[base + i] & 0xff);
        }
        return v;
    }

    @Override
    public long r1() {
        return Memory.address(ctxRegion, 0);
    }

    @Override
    public byte[] data() {
        if (!socketFilter) {
            return Arrays.copyOfRange(memory.array(packet), data, end);
        }
        // the test run gives a socket filter's packet back with the link-layer header zeroed
        byte[] out = Arrays.copyOfRange(memory.array(packet), data - ETH_HLEN, end);
        Arrays.fill(out, 0, ETH_HLEN, (byte) 0);
        return out;
    }

    @Override
    public byte[] contextOut() {
        byte[] out = new byte[SkbContext.SIZE];
        ByteBuffer o = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int off : new int[] {8, 32, 36, 40, 48, 52, 56, 60, 64}) {
            o.putInt(off, view.getInt(off));
        }
        o.putLong(152, view.getLong(152));
        o.putInt(160, view.getInt(160));
        return out;
    }

    @Override
    public long redirectVerdict() {
        return 7; // TC_ACT_REDIRECT
    }

    @Override
    public boolean isContext(long address) {
        return address == r1();
    }
}
