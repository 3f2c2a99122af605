package io.jbpf.netpolicy.health;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.LabNames;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One node's part of cluster health, as Cilium's agent runs {@code cilium-health}. It serves and it
 * probes:
 * <ul>
 * <li>two {@link HealthResponder}s on port {@value #PORT} (Cilium's {@code cluster-health-port}):
 * one on the node's underlay address in the node's namespace (Cilium's health server on the host),
 * one on the node's health address in its health endpoint's namespace ({@code <node>-health}, as
 * {@code cilium-health-responder} in the {@code cilium-health} endpoint);</li>
 * <li>a prober that, every {@link HealthOptions#interval()}, probes both addresses of every node of
 * the lab, itself included, from the node's namespace, each with {@code GET /hello} to port
 * {@value #PORT}.</li>
 * </ul>
 * Cilium also pings both addresses (ICMP echo). Java has no ICMP without raw sockets (privileges and
 * native code), so a node's address is probed over TCP to its agent's responder: an answer proves
 * the path to the node's network stack works and the node's agent is alive; a refused connection
 * (the node is there, its agent is not) and silence (the path is broken) both count as unreachable,
 * told apart by the result's error. (The agent's metrics port would prove the same, but ties health
 * to the metrics server; a responder of its own is what Cilium runs.) The health endpoint's probe goes through the node's routing and
 * the endpoint's veth, the path pod traffic takes.
 */
public final class ClusterHealth implements AutoCloseable {
    /** The port both responders listen on, Cilium's default {@code cluster-health-port}. */
    public static final int PORT = 4240;

    private final NodeSpec node;
    private final NetNamespace nodeNs;
    private final HealthResponder hostResponder;
    private final HealthResponder endpointResponder;
    private final HealthProber prober;

    private ClusterHealth(NodeSpec node, NetNamespace nodeNs, HealthResponder hostResponder,
            HealthResponder endpointResponder, HealthProber prober) {
        this.node = node;
        this.nodeNs = nodeNs;
        this.hostResponder = hostResponder;
        this.endpointResponder = endpointResponder;
        this.prober = prober;
    }

    /**
     * Starts {@code node}'s responders and its prober of every node of {@code lab}, the first round
     * at once.
     *
     * @throws HealthException when a responder cannot bind or a namespace of the node is missing
     */
    public static ClusterHealth start(LabSpec lab, NodeSpec node, HealthOptions options) {
        LabNames names = new LabNames(lab.name());
        NetNamespace nodeNs = null;
        HealthResponder host = null;
        HealthResponder endpoint = null;
        try {
            nodeNs = NetNamespace.open(names.node(node.name()));
            host = HealthResponder.start(nodeNs, inet(node.ip()), PORT, node.name());
            try (NetNamespace healthNs = NetNamespace.open(names.health(node.name()))) {
                // the listening socket keeps belonging to the health namespace after this handle closes
                endpoint = HealthResponder.start(healthNs, inet(node.healthIp()), PORT, node.name() + "-health");
            }
            List<HealthProber.Target> targets = new ArrayList<>();
            for (NodeSpec n : lab.nodes()) {
                targets.add(new HealthProber.Target(n.name(), n.ip(), n.healthIp()));
            }
            HealthProber prober = new HealthProber(node.name(), targets, nodeNs, PORT, options);
            return new ClusterHealth(node, nodeNs, host, endpoint, prober);
        } catch (HealthException e) {
            closeAll(endpoint, host, nodeNs);
            throw e;
        } catch (RuntimeException e) {
            closeAll(endpoint, host, nodeNs);
            throw new HealthException("cannot start the cluster health of node " + node.name() + ": " + e.getMessage(), e);
        }
    }

    private static void closeAll(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the first error is reported
                }
            }
        }
    }

    private static InetAddress inet(Ipv4 a) {
        try {
            return InetAddress.getByAddress(a.bytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The last round's results, empty until the first round has finished. */
    public Optional<HealthReport> report() {
        return prober.last();
    }

    /** The prober's schedule. */
    public HealthOptions options() {
        return prober.options();
    }

    /** Changes the prober's schedule; a new round starts at once. */
    public void options(HealthOptions options) {
        prober.options(options);
    }

    /** The node whose health this is. */
    public NodeSpec node() {
        return node;
    }

    /** Whether both responders are serving. */
    public boolean isServing() {
        return hostResponder.isServing() && endpointResponder.isServing();
    }

    /** Stops probing, closes both responders and the node namespace's handle; every thread has ended on return. */
    @Override
    public void close() {
        try {
            prober.close();
        } finally {
            closeAll(endpointResponder, hostResponder, nodeNs);
        }
    }
}
