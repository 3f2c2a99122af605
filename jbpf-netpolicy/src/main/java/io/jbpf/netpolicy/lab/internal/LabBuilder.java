package io.jbpf.netpolicy.lab.internal;

import static io.jbpf.netpolicy.lab.internal.Commands.ip;
import static io.jbpf.netpolicy.lab.internal.Commands.sysctl;

import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.LabNames;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.PodSpec;

/**
 * Creates a lab's namespaces and wires them, with plain Linux routing:
 * <ul>
 * <li>the underlay: a namespace holding bridge {@code br0}; every node's and the outside host's
 *     {@code eth0} is a veth whose other end is a port of that bridge;
 * <li>a node: its underlay address, its router address on {@code jbpf_host} (a veth pair with
 *     {@code jbpf_net}, as Cilium's {@code cilium_host}), forwarding on,
 *     a route to each other node's pod CIDR via that node's address (native routing, no overlay),
 *     its own pod CIDR unreachable except the /32 of each endpoint, default route via the outside;
 * <li>an endpoint (pod or health): {@code eth0} with a /32 and a default route via the router
 *     address, its veth peer {@code lxc...} on the node, which routes the /32 to it; the node
 *     answers ARP for its router address on the lxc device because the address is its own;
 * <li>the outside host: its address as a /32, the underlay segment on link, each pod CIDR via its
 *     node (as a router that learned them).
 * </ul>
 * IPv6 is off everywhere (no router solicitations or DAD traffic in the lab) and reverse-path
 * filtering is off (the lab's routes are symmetric; the later datapath does its own checks).
 */
public final class LabBuilder {
    private static final String[] QUIET = {
        "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1",
        "net.ipv4.conf.all.rp_filter=0", "net.ipv4.conf.default.rp_filter=0",
    };

    private final LabSpec spec;
    private final LabNames names;

    public LabBuilder(LabSpec spec) {
        this.spec = spec;
        this.names = new LabNames(spec.name());
    }

    /** Builds everything; on failure the caller removes what was made (by prefix). */
    public void build() {
        String underlay = names.underlay();
        namespace(underlay);
        ip(underlay, "link", "add", LabNames.BRIDGE, "type", "bridge");
        ip(underlay, "link", "set", LabNames.BRIDGE, "up");

        String outside = names.outside();
        namespace(outside);
        underlayLink(outside, "outside");
        ip(outside, "addr", "add", spec.outside().ip() + "/32", "dev", LabNames.UNDERLAY_IF);
        ip(outside, "route", "add", spec.underlay().toString(), "dev", LabNames.UNDERLAY_IF, "scope", "link");
        for (NodeSpec n : spec.nodes()) {
            ip(outside, "route", "add", n.podCidr().toString(), "via", n.ip().toString(), "dev", LabNames.UNDERLAY_IF);
        }

        for (int i = 0; i < spec.nodes().size(); i++) {
            node(spec.nodes().get(i), i);
        }
        for (NodeSpec n : spec.nodes()) {
            endpoint(names.node(n.name()), names.health(n.name()), LabNames.HEALTH_LXC, n.healthIp(), n.routerIp());
        }
        for (PodSpec p : spec.pods()) {
            NodeSpec n = spec.node(p.node()).orElseThrow();
            endpoint(names.node(n.name()), names.pod(p), LabNames.lxc(p), p.ip(), n.routerIp());
        }
    }

    private static void namespace(String ns) {
        Commands.check("ip", "netns", "add", ns);
        sysctl(ns, QUIET);
        ip(ns, "link", "set", "lo", "up");
    }

    /** {@code eth0} in {@code ns}, its peer a port of the underlay bridge. */
    private void underlayLink(String ns, String port) {
        String underlay = names.underlay();
        // made inside the two namespaces at once: nothing ever appears in the root namespace
        ip(underlay, "link", "add", port, "type", "veth", "peer", "name", LabNames.UNDERLAY_IF, "netns", ns);
        ip(underlay, "link", "set", port, "master", LabNames.BRIDGE);
        ip(underlay, "link", "set", port, "up");
        ip(ns, "link", "set", LabNames.UNDERLAY_IF, "up");
    }

    private void node(NodeSpec n, int index) {
        String ns = names.node(n.name());
        namespace(ns);
        sysctl(ns, "net.ipv4.ip_forward=1", "net.ipv4.conf.all.send_redirects=0",
                "net.ipv4.conf.default.send_redirects=0");
        underlayLink(ns, LabNames.underlayPort(index));
        ip(ns, "addr", "add", n.ip() + "/" + spec.underlay().prefixLength(), "dev", LabNames.UNDERLAY_IF);
        // as Cilium's cilium_host/cilium_net: a veth pair inside the node (also where no dummy driver is)
        ip(ns, "link", "add", LabNames.HOST_IF, "type", "veth", "peer", "name", LabNames.HOST_PEER_IF);
        ip(ns, "addr", "add", n.routerIp() + "/32", "dev", LabNames.HOST_IF);
        ip(ns, "link", "set", LabNames.HOST_PEER_IF, "up");
        ip(ns, "link", "set", LabNames.HOST_IF, "up");
        // addresses of this node's pod CIDR that no endpoint holds are unreachable, not sent on
        ip(ns, "route", "add", "unreachable", n.podCidr().toString());
        for (NodeSpec other : spec.nodes()) {
            if (!other.equals(n)) {
                ip(ns, "route", "add", other.podCidr().toString(), "via", other.ip().toString(), "dev", LabNames.UNDERLAY_IF);
            }
        }
        String out = spec.outside().ip().toString();
        ip(ns, "route", "add", out + "/32", "dev", LabNames.UNDERLAY_IF, "scope", "link");
        ip(ns, "route", "add", "default", "via", out, "dev", LabNames.UNDERLAY_IF);
    }

    private static void endpoint(String nodeNs, String ns, String lxc, Ipv4 ip, Ipv4 router) {
        namespace(ns);
        ip(nodeNs, "link", "add", lxc, "type", "veth", "peer", "name", LabNames.POD_IF, "netns", ns);
        ip(ns, "addr", "add", ip + "/32", "dev", LabNames.POD_IF);
        ip(ns, "link", "set", LabNames.POD_IF, "up");
        ip(ns, "route", "add", router + "/32", "dev", LabNames.POD_IF, "scope", "link");
        ip(ns, "route", "add", "default", "via", router.toString(), "dev", LabNames.POD_IF);
        ip(nodeNs, "link", "set", lxc, "up");
        ip(nodeNs, "route", "add", ip + "/32", "dev", lxc);
    }
}
