package io.jbpf.test;

import static io.jbpf.test.BpfAssertions.assertThat;
import static io.jbpf.test.Programs.frame;
import static io.jbpf.test.Verdict.TC_ACT_OK;
import static io.jbpf.test.Verdict.TC_ACT_REDIRECT;
import static io.jbpf.test.Verdict.TC_ACT_SHOT;

import io.jbpf.maps.codec.Codecs;
import io.jbpf.test.packet.Packet;
import org.junit.jupiter.api.BeforeEach;

/** TC and socket-filter programs, with maps filled before the run, on every engine. */
class TcProgramsTest {

    static final TestProgram PORT_FILTER = Programs.tcPortFilter();

    @BeforeEach
    void blockSsh(BpfProgramUnderTest p) {
        if (p.program().equals(PORT_FILTER)) {
            p.map("blocked").typed(Codecs.u16(), Codecs.u8()).put(22, 1);
        }
    }

    @BpfTest(program = "PORT_FILTER")
    void shootsBlockedPortsAndMarksTheRest(BpfProgramUnderTest p) {
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 22).build())).hasVerdict(TC_ACT_SHOT);
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 443).build())).hasVerdict(TC_ACT_OK)
                .hasMark(0x42).packetIsUnchanged();
    }

    @BpfTest(program = "PORT_FILTER")
    void mapsFilledDuringTheTestApply(BpfProgramUnderTest p) {
        Packet https = frame().ipv4("10.0.0.1", "10.0.0.2").tcp(40000, 443).build();
        assertThat(p.run(https)).hasVerdict(TC_ACT_OK);
        p.map("blocked").put(p.map("blocked").intKey(443), new byte[] {1});
        assertThat(p.run(https)).hasVerdict(TC_ACT_SHOT);
        assertThat(p.map("blocked")).hasSize(2).containsKey(22).containsKey(443).doesNotContainKey(80);
    }

    @BpfTest(program = "io.jbpf.test.Programs#tcProtocolCounter")
    void countsInAHashMap(BpfProgramUnderTest p) {
        for (int i = 0; i < 5; i++) {
            assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1000 + i, 53).build())).hasVerdict(TC_ACT_OK);
        }
        p.run(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build());
        assertThat(p.map("counts")).hasSize(2).hasValue(17, 5).hasValue(6, 1).doesNotContainKey(1);
        assertThat(p.map("counts").typed(Codecs.u32(), Codecs.u64()).entries())
                .containsExactlyInAnyOrderEntriesOf(java.util.Map.of(17, 5L, 6, 1L));
    }

    @BpfTest(program = "io.jbpf.test.Programs#tcRedirectUdp")
    void redirectsUdp(BpfProgramUnderTest p) {
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build())).hasVerdict(TC_ACT_REDIRECT)
                .redirectedTo(1);
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 53).build())).hasVerdict(TC_ACT_OK);
    }

    @BpfTest(program = "io.jbpf.test.Programs#udpSnap")
    void socketFilterKeepsTheHeadOfUdp(BpfProgramUnderTest p) {
        RunOutcome udp = p.run(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).payload(new byte[100]).build());
        assertThat(udp).hasVerdict(42).packetIsUnchanged().packet().hasUdpDestinationPort(53);
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 53).build())).hasVerdict(0);
    }

    @BpfTest(program = "io.jbpf.test.Programs#tcPortFilter", engines = BpfEngine.INTERPRETER)
    void enginesAreConfigurable(BpfProgramUnderTest p, BpfEngine engine) {
        assertThat(engine).isEqualTo(BpfEngine.INTERPRETER);
        assertThat(p.engine()).isEqualTo(BpfEngine.INTERPRETER);
    }
}
