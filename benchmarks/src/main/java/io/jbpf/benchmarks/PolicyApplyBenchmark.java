package io.jbpf.benchmarks;

import io.jbpf.core.map.KernelMap;
import io.jbpf.netpolicy.datapath.PolicyMap;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.policy.PolicyResolver;
import io.jbpf.netpolicy.policy.PolicyYaml;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's time to apply a policy of {@code rules} rules: the CiliumNetworkPolicy YAML read,
 * resolved for the endpoint it selects against {@code rules} + 1 pod identities (each rule lets one
 * pod in on its own TCP port), and written into an empty policy map in the kernel (one entry per
 * rule). Goal for 10,000 rules: under 1 s. The heap is bounded as the {@code jbpf} launcher bounds
 * the agent's: an unbounded G1 heap keeps growing into untouched memory, and the first-touch page
 * faults (expensive in a virtual machine) made some applies 10 times slower than the others.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx512m"})
public class PolicyApplyBenchmark {
    @Param({"10", "1000", "10000"})
    public int rules;

    private String yaml;
    private IdentityAllocator ids;
    private Labels web;
    private KernelMap map;

    @Setup
    public void setUp() {
        ids = IdentityAllocator.inMemory();
        web = Labels.ofPod("default", Map.of("app", "web"), Map.of());
        ids.allocate(web);
        StringBuilder b = new StringBuilder("apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\n"
                + "metadata: {name: big, namespace: default}\nspec:\n  endpointSelector: {matchLabels: {app: web}}\n"
                + "  ingress:\n");
        for (int i = 0; i < rules; i++) {
            ids.allocate(Labels.ofPod("default", Map.of("app", "client" + i), Map.of()));
            b.append("  - fromEndpoints: [{matchLabels: {app: client").append(i).append("}}]\n")
                    .append("    toPorts: [{ports: [{port: '").append(1000 + i % 60000).append("', protocol: TCP}]}]\n");
        }
        yaml = b.toString();
        map = KernelMap.create(PolicyMap.spec("jbpf_bench_pol", 65536));
    }

    @Setup(Level.Invocation)
    public void emptyTheMap() {
        PolicyMap.clear(map, 1);
    }

    @Benchmark
    public int apply() {
        EndpointPolicy ep = new PolicyResolver(ids.all(), i -> List.of()).resolve(web, List.of(), PolicyYaml.parse(yaml));
        int changes = PolicyMap.sync(map, 1, ep);
        if (changes < rules) {
            throw new IllegalStateException("wrote " + changes + " entries for " + rules + " rules");
        }
        return changes;
    }

    @TearDown
    public void tearDown() {
        map.close();
    }
}
