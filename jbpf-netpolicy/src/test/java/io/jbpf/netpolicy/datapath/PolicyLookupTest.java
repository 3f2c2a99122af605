package io.jbpf.netpolicy.datapath;

import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R7;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.policy.Direction;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.policy.EndpointSelector;
import io.jbpf.netpolicy.policy.Peer;
import io.jbpf.netpolicy.policy.Policy;
import io.jbpf.netpolicy.policy.PolicyKey;
import io.jbpf.netpolicy.policy.PolicyResolver;
import io.jbpf.netpolicy.policy.PolicyRule;
import io.jbpf.netpolicy.policy.PortRule;
import io.jbpf.netpolicy.policy.Protocol;
import io.jbpf.netpolicy.policy.Verdict;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The policy step in the kernel and in the VM gives, for random policies of two endpoints sharing
 * one map, the verdict {@link EndpointPolicy#decide} gives: a test program reads (identity,
 * endpoint, direction, protocol, port) from its packet ({@link PolicyProbe}), builds the key and runs
 * the emitted step.
 */
@KernelTest
class PolicyLookupTest {
    static ProgramSpec probeProgram() {
        return PolicyProbe.program("jbpf_pol_probe", "policy");
    }

    static byte[] probe(int identity, int endpoint, Direction dir, int proto, int port) {
        return PolicyProbe.question(identity, endpoint, dir, proto, port);
    }

    @Test
    void kernelAndVmGiveTheVerdictsOfThePolicy() {
        IdentityAllocator ids = IdentityAllocator.inMemory();
        List<Identity> peers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            peers.add(ids.allocate(Labels.parse("k8s:app=p" + i)));
        }
        PolicyResolver resolver = new PolicyResolver(ids.all(), i -> List.of());
        Random rnd = new Random(2026);
        try (KernelMap map = KernelMap.create(PolicyMap.spec("jbpf_pol_test", 4096));
                Program prog = Program.load(probeProgram(), Map.of("policy", map))) {
            MemoryMap vmMap = MemoryMap.create(PolicyMap.spec("policy", 4096));
            VmProgram vm = Vm.create().load(probeProgram(), Map.of("policy", vmMap));
            for (int round = 0; round < 40; round++) {
                EndpointPolicy[] eps = new EndpointPolicy[2];
                for (int e = 0; e < 2; e++) {
                    eps[e] = resolver.resolve(Labels.parse("k8s:app=me"), List.of(), List.of(randomPolicy(rnd)));
                    PolicyMap.sync(map, 10 + e, eps[e]);
                    PolicyMap.sync(vmMap, 10 + e, eps[e]);
                    assertThat(PolicyMap.read(map, 10 + e)).isEqualTo(PolicyMap.datapathEntries(eps[e]));
                }
                for (int p = 0; p < 150; p++) {
                    int e = rnd.nextInt(2);
                    int id = peers.get(rnd.nextInt(peers.size())).id();
                    Direction dir = rnd.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
                    int proto = rnd.nextInt(3) == 0 ? 17 : 6;
                    int port = 1 + rnd.nextInt(140);
                    byte[] pkt = probe(id, 10 + e, dir, proto, port);
                    Verdict want = eps[e].decide(id, dir, proto, port);
                    int kernel = prog.testRun(TestRun.withData(pkt)).returnValue();
                    long inVm = vm.run(SkbContext.tc(pkt)).returnValue();
                    String what = String.format("round %d endpoint %d id %d %s proto %d port %d, entries %s", round, e,
                            id, dir, proto, port, eps[e].entries());
                    assertThat(kernel == PolicyMap.ALLOW ? Verdict.ALLOW : Verdict.DENY).as(what).isEqualTo(want);
                    assertThat(inVm).as(what).isEqualTo(kernel);
                }
            }
            // clearing one endpoint leaves the other's entries alone
            Map<PolicyKey, Verdict> other = PolicyMap.read(map, 11);
            assertThat(PolicyMap.clear(map, 10)).isPositive();
            assertThat(PolicyMap.read(map, 10)).isEmpty();
            assertThat(PolicyMap.read(map, 11)).isEqualTo(other);
            // no entry at all is a deny
            assertThat(prog.testRun(TestRun.withData(probe(peers.get(0).id(), 10, Direction.INGRESS, 6, 80))).returnValue())
                    .isEqualTo(0);
        }
    }

    static Policy randomPolicy(Random rnd) {
        List<PolicyRule> rules = new ArrayList<>();
        for (int i = 0, n = rnd.nextInt(6); i < n; i++) {
            Direction dir = rnd.nextBoolean() ? Direction.INGRESS : Direction.EGRESS;
            List<Peer> who = rnd.nextInt(4) == 0 ? List.of()
                    : List.of(new Peer.Endpoints(EndpointSelector.matchLabels(Map.of("app", "p" + rnd.nextInt(8)))));
            List<PortRule> what;
            int kind = rnd.nextInt(4);
            Protocol proto = rnd.nextBoolean() ? Protocol.TCP : Protocol.UDP;
            if (kind == 0) {
                what = List.of();
            } else if (kind == 1) {
                what = List.of(new PortRule(proto, 0, 0, null));
            } else {
                int from = 1 + rnd.nextInt(100);
                what = List.of(PortRule.range(proto, from, from + (kind == 2 ? 0 : rnd.nextInt(40))));
            }
            rules.add(new PolicyRule(dir, rnd.nextInt(3) == 0, who, what));
        }
        Set<Direction> enforced = EnumSet.noneOf(Direction.class);
        for (Direction d : Direction.values()) {
            if (rnd.nextInt(3) > 0) {
                enforced.add(d);
            }
        }
        return new Policy("r", "default", EndpointSelector.ALL, enforced, rules);
    }

    @Test
    void theStepRefusesARegisterAHelperCallClobbers() {
        assertThatThrownBy(() -> PolicyLookup.emit(new Assembler(), "policy", -16, R2, "x"))
                .hasMessageContaining("R6-R9");
        assertThatThrownBy(() -> PolicyLookup.emit(new Assembler(), "policy", -12, R7, "x"))
                .hasMessageContaining("multiple of 8");
    }
}
