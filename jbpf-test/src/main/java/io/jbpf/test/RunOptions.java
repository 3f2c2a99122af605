package io.jbpf.test;

/**
 * The context fields of one run besides the packet, as both the VM and the kernel's test run take
 * them. Fields a program type does not have are ignored.
 *
 * @param mark            {@code __sk_buff.mark} (TC, socket filter)
 * @param priority        {@code __sk_buff.priority} (TC, socket filter)
 * @param ingressIfindex  {@code __sk_buff.ingress_ifindex}, or {@code xdp_md.ingress_ifindex} (XDP:
 *                        a device that exists; 0 means loopback, so programs read 1, as in the
 *                        kernel's test run)
 * @param ifindex         {@code __sk_buff.ifindex}: the device the packet is on (1, loopback, by
 *                        default; the kernel needs a device that exists)
 * @param rxQueueIndex    {@code xdp_md.rx_queue_index} (XDP; needs an ingress device)
 */
public record RunOptions(int mark, int priority, int ingressIfindex, int ifindex, int rxQueueIndex) {
    /** No mark, priority 0, received on loopback (ifindex 1), queue 0; {@code __sk_buff.ingress_ifindex} 0. */
    public static final RunOptions DEFAULT = new RunOptions(0, 0, 0, 1, 0);

    /** These options with {@code __sk_buff.mark} set. */
    public RunOptions withMark(int newMark) {
        return new RunOptions(newMark, priority, ingressIfindex, ifindex, rxQueueIndex);
    }

    /** These options with {@code __sk_buff.priority} set. */
    public RunOptions withPriority(int newPriority) {
        return new RunOptions(mark, newPriority, ingressIfindex, ifindex, rxQueueIndex);
    }

    /** These options with the ingress device ({@code ingress_ifindex}) set. */
    public RunOptions withIngressIfindex(int newIngressIfindex) {
        return new RunOptions(mark, priority, newIngressIfindex, ifindex, rxQueueIndex);
    }

    /** These options with {@code __sk_buff.ifindex} set. */
    public RunOptions withIfindex(int newIfindex) {
        return new RunOptions(mark, priority, ingressIfindex, newIfindex, rxQueueIndex);
    }

    /** These options with {@code xdp_md.rx_queue_index} set. */
    public RunOptions withRxQueueIndex(int newRxQueueIndex) {
        return new RunOptions(mark, priority, ingressIfindex, ifindex, newRxQueueIndex);
    }
}
