package io.jbpf.core.vm;

/**
 * A socket buffer as {@code BPF_PROG_TEST_RUN} builds it for TC ({@code SCHED_CLS}/{@code SCHED_ACT})
 * and socket-filter programs when it is given a context ({@code ctx_in}) with these fields: the packet received on the loopback device of the namespace
 * ({@code ifindex} 1 unless given), {@code protocol} and {@code pkt_type} from the Ethernet header
 * as {@code eth_type_trans} sets them, {@code wire_len} the frame's length. For TC the data starts at the Ethernet header; for a socket
 * filter it starts at the network header, as in the kernel's test run. The program sees
 * {@code struct __sk_buff}; {@link RunResult#context()} is that struct after the run.
 *
 * @param packet          the frame, starting at the Ethernet header (at least 14 bytes)
 * @param socketFilter    true for a socket filter (data starts after the Ethernet header)
 * @param mark            {@code __sk_buff.mark}
 * @param priority        {@code __sk_buff.priority}
 * @param ingressIfindex  {@code __sk_buff.ingress_ifindex}
 * @param ifindex         {@code __sk_buff.ifindex}
 */
public record SkbContext(byte[] packet, boolean socketFilter, int mark, int priority, int ingressIfindex, int ifindex)
        implements Context {
    /** The size of {@code struct __sk_buff}. */
    public static final int SIZE = 192;

    public SkbContext {
        if (packet.length < 14) {
            throw new IllegalArgumentException("a socket buffer needs at least an Ethernet header (14 bytes), got "
                    + packet.length);
        }
        packet = packet.clone();
    }

    /** A frame for a TC program, received on loopback (ifindex 1). */
    public static SkbContext tc(byte[] packet) {
        return new SkbContext(packet, false, 0, 0, 0, 1);
    }

    /** A frame for a socket filter, received on loopback (ifindex 1). */
    public static SkbContext socketFilter(byte[] packet) {
        return new SkbContext(packet, true, 0, 0, 0, 1);
    }

    /** This context with another mark. */
    public SkbContext withMark(int newMark) {
        return new SkbContext(packet, socketFilter, newMark, priority, ingressIfindex, ifindex);
    }

    /** This context with another priority. */
    public SkbContext withPriority(int newPriority) {
        return new SkbContext(packet, socketFilter, mark, newPriority, ingressIfindex, ifindex);
    }

    /** This context received on another device. */
    public SkbContext withIfindex(int newIngressIfindex, int newIfindex) {
        return new SkbContext(packet, socketFilter, mark, priority, newIngressIfindex, newIfindex);
    }

    @Override
    public byte[] packet() {
        return packet.clone();
    }
}
