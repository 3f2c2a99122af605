package io.jbpf.benchmarks;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.netpolicy.agent.AgentClient;
import io.jbpf.netpolicy.agent.AgentConfig;
import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.PodSpec;
import io.jbpf.netpolicy.service.ServiceMaps;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A pod's TCP connect rate and latency to ClusterIP services, jbpf against kube-proxy's iptables
 * rules, on the same lab, the built-in {@code services} one: three nodes, the client pod on k8s-s,
 * three backends (the lab's TCP echo on port 7) on k8s-w1 and k8s-w2. {@code services} ClusterIP services (10.96.0.1, 10.96.0.2, …,
 * port 80) all lead to those backends; each operation opens a socket in the client pod, connects to
 * the next service in turn (so iptables' linear match walks half its chain on average) and closes
 * it with a reset (no TIME_WAIT). In {@code jbpf} mode an agent per node (each a JVM of its own,
 * {@link LabAgentProcess}) runs the datapath and the services are imported through the agent's socket; in {@code iptables} mode no agent runs and
 * {@code benchmarks/kube-proxy-iptables.sh} loads kube-proxy's rules on every node.
 * {@link #connectRate} counts connections per second, {@link #connectLatency} samples their time;
 * {@link #connectRateNative} counts the same connections made by a client loop in C.
 */
@State(Scope.Thread)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ServiceConnectBenchmark {
    @Param({"jbpf", "iptables"})
    public String mode;

    @Param({"10", "1000", "10000"})
    public int services;

    private String name;
    private Path pins;
    private Lab lab;
    private final List<Process> agents = new ArrayList<>();
    private NetNamespace clientNs;
    private NetNamespace.Entered inClient;
    private InetSocketAddress[] vips;
    private int next;

    /** The address of service {@code i} (0-based), as kube-proxy-iptables.sh numbers them. */
    static String vip(int i) {
        int v = 1 + i;
        return "10.96." + (v / 256) + "." + (v % 256);
    }

    @Setup
    public void setUp() throws Exception {
        name = "bsvc" + ProcessHandle.current().pid();
        pins = Path.of("/sys/fs/bpf/jbpf-lab-" + name);
        try {
            lab = Lab.up(LabSpec.builtin("services").withName(name));
            List<String> backends = new ArrayList<>();
            for (String pod : List.of("web1", "web2", "web3")) {
                PodSpec p = lab.spec().pod("default/" + pod).orElseThrow();
                backends.add(p.ip() + ":7");
            }
            if (mode.equals("jbpf")) {
                for (NodeSpec n : lab.spec().nodes()) {
                    agents.add(startAgent(n.name()));
                }
                Path socket = new AgentConfig("k8s-s", lab.stateDir().resolve("cluster"), pins.resolve("k8s-s")).socket();
                new AgentClient(socket).call("service-import", Map.of("yaml", servicesYaml(backends)));
                awaitFrontends(pins.resolve("k8s-s").resolve(ServiceMaps.SERVICES));
            } else if (mode.equals("iptables")) {
                for (NodeSpec n : lab.spec().nodes()) {
                    List<String> cmd = new ArrayList<>(List.of("benchmarks/kube-proxy-iptables.sh",
                            lab.namespaceOf(n.name()), String.valueOf(services), "172.16.0.0/12"));
                    cmd.addAll(backends);
                    Process p = new ProcessBuilder(cmd).inheritIO().start();
                    if (p.waitFor() != 0) {
                        throw new IllegalStateException("kube-proxy-iptables.sh failed for " + n.name()
                                + " (run the benchmark from the repository root)");
                    }
                }
            } else {
                throw new IllegalArgumentException("mode " + mode + " is not jbpf or iptables");
            }
            vips = new InetSocketAddress[services];
            for (int i = 0; i < services; i++) {
                vips[i] = new InetSocketAddress(InetAddress.getByName(vip(i)), 80);
            }
            clientNs = NetNamespace.open(lab.namespaceOf("default/client"));
            inClient = clientNs.enter();
            // every service answers before measuring starts
            for (int i = 0; i < Math.min(services, 50); i++) {
                connect(vips[i * services / Math.min(services, 50)]);
            }
        } catch (Exception | Error e) {
            tearDown();
            throw e;
        }
    }

    /** An agent in a JVM of its own ({@link LabAgentProcess}), once it says it is ready. */
    private Process startAgent(String node) throws IOException {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                LabAgentProcess.class.getName(), name, node, pins.resolve(node).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        if (line == null || !line.startsWith("ready")) {
            p.destroyForcibly();
            throw new IllegalStateException("the agent of " + node + " did not start (said: " + line + ")");
        }
        return p;
    }

    private String servicesYaml(List<String> backends) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < services; i++) {
            b.append("apiVersion: v1\nkind: Service\nmetadata: {name: svc-").append(i).append(", namespace: default}\n")
                    .append("spec:\n  clusterIP: ").append(vip(i))
                    .append("\n  ports: [{name: echo, protocol: TCP, port: 80, targetPort: 7}]\n---\n")
                    .append("apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata: {name: svc-").append(i)
                    .append("-1, namespace: default, labels: {kubernetes.io/service-name: svc-").append(i).append("}}\n")
                    .append("addressType: IPv4\nports: [{name: echo, protocol: TCP, port: 7}]\nendpoints:\n");
            for (String be : backends) {
                b.append("- addresses: [\"").append(be, 0, be.indexOf(':')).append("\"]\n");
            }
            b.append("---\n");
        }
        return b.toString();
    }

    private void awaitFrontends(Path pin) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            try (KernelMap svc = KernelMap.openPinned(pin.toString())) {
                int n = ServiceMaps.frontends(Map.of(ServiceMaps.SERVICES, svc)).size();
                if (n >= services) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the agent holds " + n + " of " + services + " frontends after 2 minutes");
                }
            }
            Thread.sleep(200);
        }
    }

    private static void connect(InetSocketAddress to) throws IOException {
        try (SocketChannel ch = SocketChannel.open()) {
            ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            ch.connect(to);
        }
    }

    /** Connections per second. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public void connectRate() throws IOException {
        connectNext();
    }

    /** The time of one connection (connect and reset), sampled. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void connectLatency() throws IOException {
        connectNext();
    }

    /** Connections per invocation of {@link #connectRateNative}. */
    static final int NATIVE_BATCH = 2000;
    /** The C client loop ({@code make -C native/bench}), from the repository root. */
    static final Path CONNECT_LOOP = Path.of("native/build/bench/connect_loop");

    /**
     * Connections per second with the client's loop in C ({@code native/bench/connect_loop.c}, run
     * in the client pod's namespace by this thread): the same connections to the same services,
     * without the client JVM's own share of each connection (its channel objects, its JIT and GC
     * on the two cores).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(NATIVE_BATCH)
    public void connectRateNative() throws IOException, InterruptedException {
        if (!Files.isExecutable(CONNECT_LOOP)) {
            throw new IllegalStateException(CONNECT_LOOP + " is missing: run make -C native/bench from the repository root");
        }
        Process p = new ProcessBuilder(CONNECT_LOOP.toString(), String.valueOf(services), String.valueOf(NATIVE_BATCH),
                "80", String.valueOf(next)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("connect_loop failed: " + out);
        }
        next = Integer.parseInt(out);
    }

    private void connectNext() throws IOException {
        int i = next;
        next = i + 1 == vips.length ? 0 : i + 1;
        connect(vips[i]);
    }

    @TearDown
    public void tearDown() {
        if (inClient != null) {
            inClient.close();
        }
        if (clientNs != null) {
            clientNs.close();
        }
        for (Process p : agents) {
            try {
                p.getOutputStream().close();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                }
            } catch (IOException | InterruptedException e) {
                p.destroyForcibly();
            }
        }
        agents.clear();
        if (lab != null) {
            for (NodeSpec n : lab.spec().nodes()) {
                NodeDatapath.remove(pins.resolve(n.name()));
            }
            NodeDatapath.remove(pins);
        }
        if (name != null) {
            Lab.down(name);
        }
    }
}
