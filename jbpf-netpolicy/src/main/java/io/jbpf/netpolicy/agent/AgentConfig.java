package io.jbpf.netpolicy.agent;

import io.jbpf.netpolicy.datapath.HostRouting;
import io.jbpf.netpolicy.service.LoadBalancing;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one node's agent keeps things.
 *
 * @param node     the node it owns
 * @param stateDir the cluster's shared state: {@code identities} (the identity allocations every
 *                 node's agent shares), {@code policies/} (imported policy files), {@code agents/}
 *                 (each agent's Unix socket), {@code ip-masq-agent} (the masquerade exemptions every
 *                 node's agent reads, as the ip-masq-agent's ConfigMap), {@code services/} (imported
 *                 Services and EndpointSlices)
 * @param pinDir   the bpffs directory of this node's maps and links
 * @param loadBalancing how the node's datapath picks a service backend (Cilium's
 *                 {@code loadBalancer.algorithm} and {@code maglev.tableSize})
 * @param hostRouting how the datapath forwards what it lets through (Cilium's
 *                 {@code bpf.hostLegacyRouting}: false gives {@link HostRouting#BPF})
 */
public record AgentConfig(String node, Path stateDir, Path pinDir, LoadBalancing loadBalancing, HostRouting hostRouting) {
    /** Checks for nulls. */
    public AgentConfig {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(pinDir, "pinDir");
        Objects.requireNonNull(loadBalancing, "loadBalancing");
        Objects.requireNonNull(hostRouting, "hostRouting");
    }

    /** A config with the default load balancing ({@link LoadBalancing#DEFAULTS}) and BPF host routing. */
    public AgentConfig(String node, Path stateDir, Path pinDir) {
        this(node, stateDir, pinDir, LoadBalancing.DEFAULTS, HostRouting.BPF);
    }

    /** This config with {@code lb} as its load balancing. */
    public AgentConfig withLoadBalancing(LoadBalancing lb) {
        return new AgentConfig(node, stateDir, pinDir, lb, hostRouting);
    }

    /** This config with {@code routing} as its host routing. */
    public AgentConfig withHostRouting(HostRouting routing) {
        return new AgentConfig(node, stateDir, pinDir, loadBalancing, routing);
    }

    /** The pin directory the layout gives a node: {@code /sys/fs/bpf/jbpf/<node>}. */
    public static Path defaultPinDir(String node) {
        return Path.of("/sys/fs/bpf/jbpf", node);
    }

    /** The agent's Unix socket. */
    public Path socket() {
        return stateDir.resolve("agents").resolve(node + ".sock");
    }

    /** The shared identity file. */
    public Path identities() {
        return stateDir.resolve("identities");
    }

    /** The directory of imported policy files. */
    public Path policies() {
        return stateDir.resolve("policies");
    }

    /** The directory of imported Service and EndpointSlice files ({@link ServiceStore}). */
    public Path services() {
        return stateDir.resolve("services");
    }

    /** The ip-masq-agent config file all nodes share (missing: the ip-masq-agent's defaults). */
    public Path masqConfig() {
        return stateDir.resolve("ip-masq-agent");
    }
}
