package io.jbpf.netpolicy.datapath;

import java.util.Locale;

/**
 * How the datapath's programs send on a packet they let through, as Cilium's "Host Routing".
 */
public enum HostRouting {
    /**
     * The programs forward by themselves: a packet for an endpoint of this node goes straight to
     * the egress of that endpoint's {@code lxc…} device ({@code bpf_redirect}, where the
     * to-container program judges it), any other packet a pod sends goes where the node's FIB
     * lookup says ({@code bpf_fib_lookup}, then {@code bpf_redirect} with the route's MACs, or
     * {@code bpf_redirect_neigh} when the neighbour is not resolved yet). The node's netfilter and
     * IP forwarding are not traversed; the TTL is decremented as a router would. What the programs
     * cannot forward (a TTL about to expire, a destination on the node itself, no route, IPv4
     * behind a VLAN tag) goes to the kernel as under {@link #LEGACY}.
     */
    BPF("BPF"),
    /** The programs hand every packet they let through to the kernel, which routes it. */
    LEGACY("Legacy");

    private final String display;

    HostRouting(String display) {
        this.display = display;
    }

    /** The name {@code status} shows: {@code BPF} or {@code Legacy}. */
    public String displayName() {
        return display;
    }

    /**
     * The mode named {@code name} ({@code bpf} or {@code legacy}, any case).
     *
     * @throws IllegalArgumentException for another name
     */
    public static HostRouting parse(String name) {
        for (HostRouting r : values()) {
            if (r.name().equalsIgnoreCase(name)) {
                return r;
            }
        }
        throw new IllegalArgumentException("host routing '" + name + "' is neither bpf nor legacy");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
