package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.agent.Agent;
import io.jbpf.netpolicy.agent.AgentClient;
import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The agent of k8s-w1 as a process of its own ({@code jbpf agent}), under traffic: an established
 * TCP connection keeps echoing while the agent is killed with SIGKILL and while policies change,
 * the policy stays enforced without the agent, and a new agent process shows the endpoint
 * {@code restored}.
 */
@KernelTest
class AgentProcessTest {
    private static final String NAME = "p" + ProcessHandle.current().pid();
    private static final Path PINS = Path.of("/sys/fs/bpf/jbpf-lab-" + NAME);
    private static final String POLICY = String.join("\n",
            "apiVersion: cilium.io/v2",
            "kind: CiliumNetworkPolicy",
            "metadata: {name: web, namespace: default}",
            "spec:",
            "  endpointSelector: {matchLabels: {app: webpod}}",
            "  ingress:",
            "  - fromEndpoints: [{matchLabels: {app: netpod}}]",
            "    toPorts: [{ports: [{port: '7', protocol: TCP}, {port: 'PORT', protocol: TCP}]}]", "");

    static Process startAgent(String node) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                "io.jbpf.cli.Main", "agent", "--lab", NAME, "--node", node, "--pin-dir", PINS.resolve(node).toString())
                .redirectErrorStream(true).start();
        byte[] line = new byte[4096];
        int n = p.getInputStream().read(line);
        String first = n > 0 ? new String(line, 0, n) : "";
        assertThat(first).as("agent output").contains("agent of " + node + " ready");
        return p;
    }

    @Test
    void anEstablishedConnectionOutlivesTheAgentAndPolicyChanges() throws Exception {
        LabSpec spec = LabSpec.defaultSpec().withName(NAME);
        List<Agent> agents = new ArrayList<>();
        Process w1 = null;
        AtomicBoolean stop = new AtomicBoolean();
        try {
            Lab lab = Lab.up(spec);
            for (NodeSpec n : spec.nodes()) {
                if (!n.name().equals("k8s-w1")) {
                    agents.add(Agent.start(spec, AgentCommand.config(NAME, n.name(), PINS.resolve(n.name()))));
                }
            }
            w1 = startAgent("k8s-w1");
            AgentClient s = new AgentClient(AgentCommand.config(NAME, "k8s-s", null).socket());
            s.call("policy-import", Map.of("yaml", POLICY.replace("PORT", "80")));
            Thread.sleep(500);
            Socket conn;
            try (NetNamespace ns = NetNamespace.open(lab.namespaceOf("netpod"))) {
                conn = ns.run(() -> {
                    Socket c = new Socket();
                    c.connect(new InetSocketAddress("172.16.1.10", 7), 2000);
                    c.setSoTimeout(2000);
                    return c;
                });
            }
            AtomicInteger echoes = new AtomicInteger();
            AtomicInteger failures = new AtomicInteger();
            Thread traffic = new Thread(() -> {
                try (Socket c = conn; OutputStream out = c.getOutputStream(); InputStream in = c.getInputStream()) {
                    byte[] buf = new byte[4];
                    while (!stop.get()) {
                        out.write("ping".getBytes());
                        int got = 0;
                        while (got < 4) {
                            int r = in.read(buf, got, 4 - got);
                            if (r < 0) {
                                throw new java.io.EOFException();
                            }
                            got += r;
                        }
                        echoes.incrementAndGet();
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    failures.incrementAndGet();
                }
            });
            traffic.start();
            Thread.sleep(500);
            int before = echoes.get();
            w1.destroyForcibly(); // SIGKILL
            assertThat(w1.waitFor(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(1000);
            assertThat(echoes.get()).as("echoes after the agent was killed").isGreaterThan(before + 10);
            // policy changes under traffic (the other agents apply them; k8s-w1 has none now, so its maps keep the last)
            for (String port : List.of("81", "82", "80")) {
                s.call("policy-import", Map.of("yaml", POLICY.replace("PORT", port)));
                Thread.sleep(200);
            }
            w1 = startAgent("k8s-w1");
            AgentClient c1 = new AgentClient(AgentCommand.config(NAME, "k8s-w1", null).socket());
            assertThat(c1.call("endpoint-list")).contains("restored");
            int mid = echoes.get();
            for (String port : List.of("81", "80")) {
                s.call("policy-import", Map.of("yaml", POLICY.replace("PORT", port)));
                Thread.sleep(300);
            }
            assertThat(echoes.get()).as("echoes while policies changed").isGreaterThan(mid + 10);
            assertThat(failures.get()).isZero();
            // the denied flow stays denied: webpod2 may not reach webpod1's echo
            try (NetNamespace ns = NetNamespace.open(lab.namespaceOf("webpod2"))) {
                boolean reached = ns.run(() -> {
                    try (Socket c = new Socket()) {
                        c.connect(new InetSocketAddress("172.16.1.10", 7), 1000);
                        return true;
                    } catch (java.net.SocketTimeoutException e) {
                        return false;
                    }
                });
                assertThat(reached).isFalse();
            }
        } finally {
            stop.set(true);
            try {
                if (w1 != null) {
                    w1.destroyForcibly();
                    w1.waitFor(10, TimeUnit.SECONDS);
                }
                agents.forEach(Agent::close);
            } finally {
                try {
                    for (NodeSpec n : spec.nodes()) {
                        NodeDatapath.remove(PINS.resolve(n.name()));
                    }
                    NodeDatapath.remove(PINS);
                } finally {
                    Lab.down(NAME);
                }
            }
        }
    }
}
