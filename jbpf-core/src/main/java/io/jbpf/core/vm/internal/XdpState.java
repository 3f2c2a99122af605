package io.jbpf.core.vm.internal;

import io.jbpf.core.vm.XdpContext;
import java.util.Arrays;

/**
 * An XDP frame: {@code struct xdp_md} as a special region whose pointer fields become packet
 * addresses, and the frame whose window the adjust helpers move with the kernel's limits.
 */
public final class XdpState extends ContextState implements SpecialRegion {
    /** {@code sizeof(struct xdp_frame)}: the head may not move into it. */
    private static final int FRAME_STRUCT = 40;
    private static final int ETH_HLEN = 14;
    private static final int MAX_META = 32;

    private final Memory memory;
    private final Machine machine;
    private final int ctxRegion;
    private final int packet;
    private final int ingressIfindex;
    private final int rxQueue;
    private int meta;
    private int data;
    private int end;

    XdpState(Machine machine, XdpContext ctx) {
        this.machine = machine;
        this.memory = machine.memory;
        byte[] frame = machine.xdpFrame(XdpContext.FRAME_SIZE);
        int length = ctx.copyPacketTo(frame, XdpContext.HEADROOM);
        this.meta = XdpContext.HEADROOM;
        this.data = XdpContext.HEADROOM;
        this.end = XdpContext.HEADROOM + length;
        this.packet = memory.add("packet", frame, meta, end, false);
        dirty();
        this.ctxRegion = memory.addSpecial("context (struct xdp_md)", 24, this);
        memory.markPacket(packet);
        memory.markContext(ctxRegion);
        this.ingressIfindex = ctx.ingressIfindex();
        this.rxQueue = ctx.rxQueueIndex();
    }

    @Override
    public long load(int offset, int size) {
        if (size != 4) {
            return REFUSED;
        }
        switch (offset) {
            case 0:
                return Memory.address(packet, data);
            case 4:
                return Memory.address(packet, end);
            case 8:
                return Memory.address(packet, meta);
            case 12:
                return ingressIfindex & 0xffffffffL;
            case 16:
                return rxQueue & 0xffffffffL;
            case 20:
                return 0;
            default:
                return REFUSED;
        }
    }

    @Override
    public boolean store(int offset, int size, long value) {
        return false;
    }

    private void window() {
        memory.setWindow(packet, meta, end);
        dirty();
    }

    /** Notes the window as dirty, for the machine to zero before the frame's next use. */
    private void dirty() {
        machine.xdpDirtyLo = Math.min(machine.xdpDirtyLo, meta);
        machine.xdpDirtyHi = Math.max(machine.xdpDirtyHi, end);
    }

    /** {@code bpf_xdp_adjust_head}: 0 or -EINVAL. */
    public long adjustHead(int delta) {
        int metaLen = data - meta;
        int newData = data + delta;
        if (newData - metaLen < FRAME_STRUCT || newData > end - ETH_HLEN) {
            return -22;
        }
        byte[] frame = memory.array(packet);
        if (metaLen > 0) {
            System.arraycopy(frame, meta, frame, newData - metaLen, metaLen);
        }
        meta = newData - metaLen;
        data = newData;
        window();
        return 0;
    }

    /** {@code bpf_xdp_adjust_tail}: 0 or -EINVAL; grown bytes are zeroed. */
    public long adjustTail(int delta) {
        int newEnd = end + delta;
        if (newEnd > XdpContext.FRAME_SIZE - XdpContext.SHARED_INFO || newEnd < data + ETH_HLEN) {
            return -22;
        }
        if (newEnd > end) {
            Arrays.fill(memory.array(packet), end, newEnd, (byte) 0);
        }
        end = newEnd;
        window();
        return 0;
    }

    /** {@code bpf_xdp_adjust_meta}: 0 or -EINVAL/-EACCES as the kernel. */
    public long adjustMeta(int delta) {
        int newMeta = meta + delta;
        int metaLen = data - newMeta;
        if (newMeta < FRAME_STRUCT || newMeta > data) {
            return -22;
        }
        if ((metaLen & 3) != 0 || metaLen > MAX_META) {
            return -13;
        }
        meta = newMeta;
        window();
        return 0;
    }

    /** The frame behind the packet ({@link #dataOffset()} is where the packet starts in it). */
    public byte[] packetArray() {
        return memory.array(packet);
    }

    /** Where the packet starts in {@link #packetArray()}. */
    public int dataOffset() {
        return data;
    }

    /** The packet's length ({@code xdp_get_buff_len}: no fragments in the VM). */
    public int length() {
        return end - data;
    }

    @Override
    public long r1() {
        return Memory.address(ctxRegion, 0);
    }

    @Override
    public byte[] data() {
        // as the test run: the metadata in front of the packet comes back with it
        return Arrays.copyOfRange(memory.array(packet), meta, end);
    }

    @Override
    public byte[] contextOut() {
        byte[] out = new byte[24];
        putInt(out, 0, data - meta);
        putInt(out, 4, end - meta);
        putInt(out, 12, ingressIfindex);
        putInt(out, 16, rxQueue);
        return out;
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >> 8);
        b[at + 2] = (byte) (v >> 16);
        b[at + 3] = (byte) (v >> 24);
    }

    @Override
    public long redirectVerdict() {
        return 4; // XDP_REDIRECT
    }

    @Override
    public boolean isContext(long address) {
        return address == r1();
    }
}
