package io.jbpf.core.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every program of {@link DslCatalog} passes the kernel's verifier on the first try, for each of its targets. */
@KernelTest
class DslVerifierTest {

    @Test
    void everyCatalogProgramLoadsForEveryTarget() {
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        for (DslCatalog.Entry e : DslCatalog.entries()) {
            for (Target t : e.targets()) {
                PacketProgram p = e.build(t);
                try (KernelPacketProgram k = p.load()) {
                    assertThat(k.program().type()).isEqualTo(t.programType());
                    loaded++;
                } catch (RuntimeException ex) {
                    failures.add(e.name() + " on " + t + ": " + ex.getMessage());
                }
            }
        }
        assertThat(failures).as("programs the verifier refused").isEmpty();
        assertThat(loaded).isGreaterThanOrEqualTo(DslCatalog.entries().size() * 3);
    }

    /** Many rules over every header with the deepest IPv6 walk: the verifier's work stays far from its limits. */
    @Test
    void aLargeProgramWithTheDeepestWalkLoads() {
        for (Target t : Target.values()) {
            PacketProgram.Builder b = PacketProgram.forTarget(t).name("jbpf_dsl_big").ipv6ExtensionHeaders(8);
            for (int i = 0; i < 8; i++) {
                b.when(Dsl.tcp().dstPort().eq(1000 + i).and(Dsl.ipv6().src().in("2001:db8:" + i + "::/48")))
                        .then(Dsl.countPerCpu("big", i));
                b.when(Dsl.udp().srcPort().between(i * 100, i * 100 + 50).or(Dsl.icmpv6().type().eq(128 + i)))
                        .then(Dsl.countPerCpu("big", 8 + i));
                b.when(Dsl.vlan().id().eq(i).and(Dsl.innerVlan().id().eq(i + 1)).and(Dsl.arp().operation().eq(1)))
                        .then(Dsl.countPerCpu("big", 16 + i));
                b.when(Dsl.ipv4().dst().in(DslCatalog.manyV4(10 + i)).and(Dsl.sctp().dstPort().ne(i)))
                        .then(Dsl.sample("ring", 64 + i));
                b.when(Dsl.ipv6().isFragment().and(Dsl.icmp().code().eq(i))).then(Dsl.countPerCpu("big", 24 + i));
            }
            PacketProgram p = b.otherwise(Dsl.drop()).build();
            try (KernelPacketProgram k = p.load()) {
                assertThat(k.maps()).containsKeys("big", "ring");
            }
        }
    }

    /**
     * The lazy parser with the deepest IPv6 walk, an LPM set, the fragment header and counting by
     * a field; and an {@code or} of tests on different headers behind that walk, which would grow
     * the program past four times its up-front size (each term looks for its header anew), so it
     * is parsed up front instead.
     */
    @Test
    void aLazyProgramWithManyDeepWalksLoadsAndALongerOneIsParsedUpFront() {
        for (Target t : java.util.EnumSet.of(Target.XDP, Target.TC_INGRESS, Target.TC_EGRESS)) {
            for (boolean longer : new boolean[] {false, true}) {
                PacketProgram.Builder b = PacketProgram.forTarget(t).name("jbpf_dsl_lazy").ipv6ExtensionHeaders(8);
                for (int i = 0; i < 2; i++) {
                    Match m = Dsl.tcp().dstPort().eq(1000 + i).and(Dsl.ipv6().src().in(DslCatalog.manyV6(10 + i)))
                            .and(Dsl.ipv6().fragmentId().ne(i));
                    if (longer) {
                        m = Dsl.or(Dsl.tcp().dstPort().eq(1000 + i), Dsl.not(Dsl.ipv6().src().in(DslCatalog.manyV6(10 + i))),
                                Dsl.ipv6().fragmentId().eq(i), Dsl.udp().srcPort().between(i, i + 50))
                                .and(Dsl.ipv4().ttl().gt(i).or(Dsl.tcp().flags().anySet(i + 1)));
                    }
                    b.when(m).then(Dsl.countPerCpuBy("lazy_by", Dsl.ipv6().hopLimit(), 64), Dsl.countPerCpu("lazy", i));
                }
                PacketProgram p = b.otherwise(Dsl.drop()).build();
                PacketProgram upFront = b.parseHeadersUpFront().build();
                if (!longer) {
                    assertThat(p.programSpec()).as("parsed lazily").isNotEqualTo(upFront.programSpec());
                } else {
                    assertThat(p.programSpec()).as("too long lazily: parsed up front").isEqualTo(upFront.programSpec());
                }
                try (KernelPacketProgram k = p.load()) {
                    assertThat(k.maps()).containsKeys("lazy", "lazy_by");
                }
            }
        }
    }
}
