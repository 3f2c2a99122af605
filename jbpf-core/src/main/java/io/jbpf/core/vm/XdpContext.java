package io.jbpf.core.vm;

/**
 * An XDP frame as {@code BPF_PROG_TEST_RUN} builds it: the packet after 256 bytes of headroom
 * (for {@code bpf_xdp_adjust_head} and {@code bpf_xdp_adjust_meta}) in a 4096-byte frame whose
 * tail may grow up to the frame's end less the kernel's shared-info area. The program sees
 * {@code struct xdp_md}; {@link RunResult#data()} is the metadata and packet after the program, and
 * {@link RunResult#context()} the {@code xdp_md} the test run gives back ({@code data} = the
 * metadata's length, {@code data_end} = that plus the packet's).
 *
 * @param packet          the frame, starting at the Ethernet header
 * @param ingressIfindex  {@code xdp_md.ingress_ifindex}
 * @param rxQueueIndex    {@code xdp_md.rx_queue_index}
 */
public record XdpContext(byte[] packet, int ingressIfindex, int rxQueueIndex) implements Context {
    /** Headroom before the packet, as the kernel's {@code XDP_PACKET_HEADROOM}. */
    public static final int HEADROOM = 256;
    /** The frame size. */
    public static final int FRAME_SIZE = 4096;
    /** The end of the frame the packet may not grow into ({@code struct skb_shared_info}, aligned). */
    public static final int SHARED_INFO = 320;

    public XdpContext {
        if (packet.length > FRAME_SIZE - HEADROOM - SHARED_INFO) {
            throw new IllegalArgumentException("XDP packet of " + packet.length + " bytes: at most "
                    + (FRAME_SIZE - HEADROOM - SHARED_INFO) + " fit in a frame");
        }
        packet = packet.clone();
    }

    /**
     * A frame received on queue 0 of the loopback device (ifindex 1), as the kernel's test run
     * receives it when given no context.
     */
    public static XdpContext of(byte[] packet) {
        return new XdpContext(packet, 1, 0);
    }

    @Override
    public byte[] packet() {
        return packet.clone();
    }

    /**
     * Copies the packet into {@code frame} from offset {@code at} (without the copy
     * {@link #packet()} makes); returns its length.
     *
     * @throws IndexOutOfBoundsException if it does not fit
     */
    public int copyPacketTo(byte[] frame, int at) {
        System.arraycopy(packet, 0, frame, at, packet.length);
        return packet.length;
    }
}
