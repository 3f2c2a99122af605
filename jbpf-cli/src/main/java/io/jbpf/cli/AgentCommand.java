package io.jbpf.cli;

import io.jbpf.netpolicy.agent.Agent;
import io.jbpf.netpolicy.agent.AgentConfig;
import io.jbpf.netpolicy.datapath.HostRouting;
import io.jbpf.netpolicy.health.HealthOptions;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.service.LoadBalancing;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jbpf agent --node NODE}: runs one node's agent in the foreground until it is stopped. */
@Command(name = "agent", description = {"Run the agent of one node of a lab: it attaches the datapath to the node's pods,"
        + " keeps its maps (pinned in bpffs) in step with the cluster's identities and policies, and answers the other"
        + " commands on a Unix socket. Stopping it (even kill -9) leaves the datapath enforcing the last policy."})
final class AgentCommand implements Runnable {
    @Option(names = "--lab", paramLabel = "NAME", defaultValue = "default", description = "The lab (default: ${DEFAULT-VALUE}).")
    String lab;

    @Option(names = "--node", paramLabel = "NODE", required = true, description = "The node the agent owns.")
    String node;

    @Option(names = "--pin-dir", paramLabel = "DIR", description = "Where the node's maps and links are pinned"
            + " (default: /sys/fs/bpf/jbpf/NODE for the lab 'default', /sys/fs/bpf/jbpf/LAB/NODE otherwise).")
    Path pinDir;

    @Option(names = "--lb-algorithm", paramLabel = "ALGORITHM", defaultValue = "random",
            description = "How a service backend is picked: random or maglev (Cilium's loadBalancer.algorithm; default: ${DEFAULT-VALUE}).")
    String lbAlgorithm;

    @Option(names = "--maglev-table-size", paramLabel = "M", defaultValue = "1021",
            description = "The size of each service's Maglev table, a prime Cilium allows (default: ${DEFAULT-VALUE}).")
    int maglevTableSize;

    @Option(names = "--host-routing", paramLabel = "MODE", defaultValue = "bpf",
            description = "How the datapath forwards what it lets through: bpf (by redirect, after a FIB lookup, bypassing the"
                    + " node's netfilter) or legacy (the kernel routes; Cilium's bpf.hostLegacyRouting) (default: ${DEFAULT-VALUE}).")
    String hostRouting;

    @Option(names = "--health-interval", paramLabel = "MS", defaultValue = "5000",
            description = "How often the agent probes every node's health, in milliseconds (default: ${DEFAULT-VALUE}).")
    long healthIntervalMillis;

    @Spec
    CommandSpec spec;

    static AgentConfig config(String labName, String node, Path pinDir) {
        Lab l = Lab.open(labName);
        Path pins = pinDir != null ? pinDir
                : labName.equals("default") ? AgentConfig.defaultPinDir(node) : Path.of("/sys/fs/bpf/jbpf", labName, node);
        return new AgentConfig(node, l.stateDir().resolve("cluster"), pins);
    }

    @Override
    public void run() {
        // the options first: a bad one is reported before anything is opened
        LoadBalancing lb = new LoadBalancing(LoadBalancing.Algorithm.parse(lbAlgorithm), maglevTableSize);
        HostRouting routing = HostRouting.parse(hostRouting);
        HealthOptions health = HealthOptions.DEFAULTS.withInterval(Duration.ofMillis(healthIntervalMillis));
        Lab l = Lab.open(lab);
        CountDownLatch stop = new CountDownLatch(1);
        try (Agent agent = Agent.start(l.spec(), config(lab, node, pinDir).withLoadBalancing(lb).withHostRouting(routing))) {
            agent.health().options(health);
            long restored = agent.endpoints().values().stream().filter(e -> e.state().equals("restored")).count();
            spec.commandLine().getOut().printf("agent of %s ready: %d endpoint(s), %d restored, socket %s%n", node,
                    agent.endpoints().size(), restored, agent.config().socket());
            spec.commandLine().getOut().flush();
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
