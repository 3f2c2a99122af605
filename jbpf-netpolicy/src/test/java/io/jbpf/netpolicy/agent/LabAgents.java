package io.jbpf.netpolicy.agent;

import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabProbe;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A lab with an agent per node in this process, for the agent's lab tests: named {@code jbpf}-lab
 * {@code <prefix><pid>}, pins under {@code /sys/fs/bpf/jbpf-lab-<name>}; {@link #close()} stops the
 * agents and removes the pins and the lab even when a step fails.
 */
final class LabAgents implements AutoCloseable {
    final String name;
    final Path pins;
    final Lab lab;
    final LabProbe probe;
    /** The agents by node; a test may stop and replace one. */
    final Map<String, Agent> agents = new LinkedHashMap<>();

    private LabAgents(String name, Lab lab, Duration timeout) {
        this.name = name;
        this.pins = Path.of("/sys/fs/bpf/jbpf-lab-" + name);
        this.lab = lab;
        this.probe = new LabProbe(lab, timeout);
    }

    /** Brings {@code spec} up as lab {@code prefix<pid>} and starts its agents. */
    static LabAgents up(String prefix, LabSpec spec, Duration probeTimeout) {
        String name = prefix + ProcessHandle.current().pid();
        LabAgents l = new LabAgents(name, Lab.up(spec.withName(name)), probeTimeout);
        try {
            for (NodeSpec n : l.lab.spec().nodes()) {
                l.agents.put(n.name(), Agent.start(l.lab.spec(), l.config(n.name())));
            }
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    AgentConfig config(String node) {
        return new AgentConfig(node, lab.stateDir().resolve("cluster"), pins.resolve(node));
    }

    AgentClient client(String node) {
        return new AgentClient(config(node).socket());
    }

    @Override
    public void close() {
        try {
            agents.values().forEach(Agent::close);
        } finally {
            try {
                for (NodeSpec n : lab.spec().nodes()) {
                    NodeDatapath.remove(pins.resolve(n.name()));
                }
                NodeDatapath.remove(pins);
            } finally {
                Lab.down(name);
            }
        }
    }
}
