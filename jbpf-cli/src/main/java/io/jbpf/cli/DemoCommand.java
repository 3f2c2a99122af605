package io.jbpf.cli;

import io.jbpf.netpolicy.agent.Agent;
import io.jbpf.netpolicy.agent.AgentClient;
import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.lab.ExecResult;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code jbpf demo}: the datapath in a few steps on the default lab — status and endpoints, traffic
 * across nodes, a policy that lets only app=netpod reach app=webpod on TCP 80, a blocked attempt
 * with its drop reason in the flows — then everything torn down.
 */
@Command(name = "demo", description = {"Bring up the default lab with an agent per node, show status and endpoints,"
        + " ping and curl across nodes, apply a policy that lets only app=netpod reach app=webpod on TCP 80, show a"
        + " blocked attempt and its drop reason, and tear everything down."})
final class DemoCommand implements Runnable {
    static final String POLICY = String.join("\n",
            "apiVersion: cilium.io/v2",
            "kind: CiliumNetworkPolicy",
            "metadata:",
            "  name: webpod-from-netpod",
            "  namespace: default",
            "spec:",
            "  endpointSelector:",
            "    matchLabels: {app: webpod}",
            "  ingress:",
            "  - fromEndpoints:",
            "    - matchLabels: {app: netpod}",
            "    toPorts:",
            "    - ports: [{port: '80', protocol: TCP}]",
            "");

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "demo", description = "The lab's name (default: ${DEFAULT-VALUE}).")
    String name;

    @Spec
    CommandSpec spec;

    private PrintWriter out;

    private void step(String title) {
        out.println();
        out.println("==> " + title);
        out.flush();
    }

    private void show(String text) {
        out.print(text.endsWith("\n") || text.isEmpty() ? text : text + "\n");
        out.flush();
    }

    private void run(Lab lab, String pod, String... command) {
        out.println("$ jbpf lab exec " + pod + " -- " + String.join(" ", command));
        ExecResult r = lab.exec(pod, Duration.ofSeconds(20), List.of(command));
        show(r.output());
        out.println(r.exitCode() == 0 ? "(exit 0)" : "(exit " + r.exitCode() + ")");
        out.flush();
    }

    @Override
    public void run() {
        out = spec.commandLine().getOut();
        LabSpec labSpec = LabSpec.defaultSpec().withName(name);
        List<Agent> agents = new ArrayList<>();
        try {
            step("Bringing up lab '" + name + "': 3 nodes on 192.168.10.0/24, netpod on k8s-s, webpod1/webpod2 on the workers");
            Lab lab = Lab.up(labSpec);
            for (NodeSpec n : labSpec.nodes()) {
                agents.add(Agent.start(labSpec, AgentCommand.config(name, n.name(), null)));
            }
            AgentClient s = new AgentClient(agents.get(0).config().socket());
            step("jbpf status (k8s-s)");
            show(s.call("status"));
            for (Agent a : agents) {
                step("jbpf endpoint list (" + a.node().name() + ")");
                show(new AgentClient(a.config().socket()).call("endpoint-list"));
            }
            step("Traffic across nodes, no policy yet");
            run(lab, "netpod", "ping", "-c", "1", "-W", "2", "172.16.1.10");
            run(lab, "netpod", "curl", "-s", "--max-time", "3", "http://172.16.2.10/");
            step("jbpf policy import: only app=netpod may reach app=webpod, on TCP 80");
            show(POLICY);
            show(s.call("policy-import", Map.of("yaml", POLICY)));
            long rev = agents.get(0).policies().revision();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (agents.stream().anyMatch(a -> a.appliedRevision() < rev) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            step("netpod -> webpod1 on TCP 80: allowed");
            run(lab, "netpod", "curl", "-s", "--max-time", "3", "http://172.16.1.10/");
            step("webpod2 -> webpod1 on TCP 80: app=webpod is not app=netpod, so it is dropped");
            run(lab, "webpod2", "curl", "-s", "--max-time", "2", "http://172.16.1.10/");
            step("jbpf endpoint list (k8s-w1): ingress policy now enforced on webpod1");
            show(new AgentClient(agents.get(1).config().socket()).call("endpoint-list"));
            step("jbpf observe --verdict DROPPED");
            for (Agent a : agents) {
                for (AgentClient.ObservedFlow f : new AgentClient(a.config().socket())
                        .observe(0, 5, Map.of("verdict", "DROPPED")).flows()) {
                    out.println(f.compact());
                }
            }
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            step("Tearing down");
            try {
                agents.forEach(Agent::close);
            } finally {
                try {
                    Path pins = Path.of("/sys/fs/bpf/jbpf", name);
                    for (NodeSpec n : labSpec.nodes()) {
                        NodeDatapath.remove(pins.resolve(n.name()));
                    }
                    NodeDatapath.remove(pins);
                    try {
                        Files.deleteIfExists(pins.getParent());
                    } catch (IOException e) {
                        // another lab's pins are there: leave the directory
                    }
                } finally {
                    Lab.down(name);
                }
            }
            show("lab " + name + " removed");
        }
    }
}
