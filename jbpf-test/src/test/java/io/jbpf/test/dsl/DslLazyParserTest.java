package io.jbpf.test.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.DslCatalog;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lazy parser means what the up-front one does: every program of the DSL catalog, built both
 * ways for every target, gives the same verdict, packet, counters and ring buffer records on
 * well-formed and malformed packets (in the VM, which {@link DslDifferentialTest} holds to the
 * kernel for the default build). Programs that the compiler parses up front anyway (socket filters,
 * code fragments, many rules) are the same code both ways, which is checked too.
 */
class DslLazyParserTest {
    private static final long SEED = 0x1a2eL;
    private static final int PACKETS = 600;
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> programs() {
        List<Arguments> out = new ArrayList<>();
        for (DslCatalog.Entry e : DslCatalog.entries()) {
            for (Target t : e.targets()) {
                out.add(Arguments.of(e, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("programs")
    void lazyAndUpFrontParsingAgree(DslCatalog.Entry entry, Target target) {
        PacketProgram lazy = entry.build(target);
        PacketProgram upFront = entry.buildUpFront(target);
        if (target == Target.SOCKET_FILTER || entry.name().startsWith("code_")) {
            assertThat(lazy.programSpec()).as("parsed up front either way").isEqualTo(upFront.programSpec());
        }
        VmPacketProgram a = lazy.loadVm(Vm.create());
        VmPacketProgram b = upFront.loadVm(Vm.create());
        List<byte[]> packets = new DslPackets(SEED ^ entry.name().hashCode()).corpus(PACKETS);
        java.util.Set<Integer> verdicts = new java.util.TreeSet<>();
        for (int n = 0; n < packets.size(); n++) {
            byte[] p = packets.get(n);
            String what = entry + " on " + target + ", packet #" + n + " " + HEX.formatHex(p);
            RunResult x = a.run(p);
            RunResult y = b.run(p);
            assertThat(x.verdict()).as("%s: verdict", what).isEqualTo(y.verdict());
            assertThat(HEX.formatHex(x.data())).as("%s: packet out", what).isEqualTo(HEX.formatHex(y.data()));
            assertThat(DslDifferentialTest.counters(a.maps())).as("%s: counters", what)
                    .isEqualTo(DslDifferentialTest.counters(b.maps()));
            assertThat(DslDifferentialTest.vmRings(a)).as("%s: ring buffer records", what)
                    .isEqualTo(DslDifferentialTest.vmRings(b));
            verdicts.add(y.verdict());
        }
        assertThat(verdicts).as("the packets took more than one way through %s", entry).hasSizeGreaterThan(1);
    }
}
