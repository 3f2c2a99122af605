package io.jbpf.test;

import static io.jbpf.test.BpfAssertions.assertThat;
import static io.jbpf.test.BpfAssertions.assertThatThrownBy;
import static io.jbpf.test.Programs.frame;
import static io.jbpf.test.Verdict.TC_ACT_SHOT;
import static io.jbpf.test.Verdict.XDP_DROP;
import static io.jbpf.test.Verdict.XDP_PASS;

import io.jbpf.core.prog.ProgramType;
import io.jbpf.test.packet.Packet;
import org.junit.jupiter.api.Test;

/** Wrong expectations fail, on every engine, with messages that say what happened. */
class AssertionMessagesTest {
    private static final Packet TCP80 = Programs.frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build();

    static TestProgram dropTcp80() {
        return Programs.dropTcp80();
    }

    @BpfTest(program = "dropTcp80")
    void wrongVerdictNamesBothVerdictsTheEngineAndThePacket(BpfProgramUnderTest p, BpfEngine engine) {
        RunOutcome out = p.run(TCP80);
        assertThatThrownBy(() -> assertThat(out).hasVerdict(XDP_PASS))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("XDP program on " + engine.displayName())
                .hasMessageContaining("expected verdict: XDP_PASS (2)")
                .hasMessageContaining("but it returned:  XDP_DROP (1)")
                .hasMessageContaining("IPv4 10.0.0.1 > 10.0.0.2 / TCP 1234 > 80");
        assertThatThrownBy(() -> assertThat(out).hasVerdict(TC_ACT_SHOT))
                .hasMessageContaining("a XDP program cannot return TC_ACT_SHOT; expected a XDP verdict");
        assertThatThrownBy(() -> assertThat(out).redirectedTo(3))
                .hasMessageContaining("expected a redirect to ifindex 3 (XDP_REDIRECT (4)), but it returned XDP_DROP (1)");
        assertThat(out).hasVerdict(XDP_DROP).packetIsUnchanged();
    }

    @BpfTest(program = "io.jbpf.test.Programs#ttlDecrementer")
    void wrongPacketExpectationsShowThePacket(BpfProgramUnderTest p) {
        RunOutcome out = p.run(frame().ipv4("10.0.0.1", "10.0.0.2").ttl(64).udp(1, 2).build());
        assertThatThrownBy(() -> assertThat(out).packetIsUnchanged())
                .hasMessageContaining("expected the packet unchanged, but it changed")
                .hasMessageContaining("first difference at byte 22")
                .hasMessageContaining("before[18..]: 00 00 00 00 40 11 66 cf")
                .hasMessageContaining("after [18..]: 00 00 00 00 3f 11 67 cf");
        assertThatThrownBy(() -> assertThat(out).packet().hasTtl(64))
                .hasMessageContaining("[packet after XDP program on ")
                .hasMessageContaining("expected IPv4 TTL 64, but it is 63")
                .hasMessageContaining("UDP 1 > 2");
        assertThatThrownBy(() -> assertThat(out).packet().hasIpv4Destination("10.0.0.9"))
                .hasMessageContaining("expected IPv4 destination 10.0.0.9, but it is 10.0.0.2");
        assertThatThrownBy(() -> assertThat(out).packet().hasTcpDestinationPort(2))
                .hasMessageContaining("expected a TCP header, but the packet has none");
        assertThatThrownBy(() -> assertThat(out.packetBefore().withBytes(24, (byte) 0, (byte) 0)).hasValidChecksums())
                .hasMessageContaining("expected valid checksums, but")
                .hasMessageContaining("IPv4 header checksum");
    }

    @BpfTest(program = "io.jbpf.test.Programs#protocolCounter")
    void wrongMapExpectationsListTheContents(BpfProgramUnderTest p) {
        p.run(TCP80);
        p.run(TCP80);
        TestMap counts = p.map("counts");
        assertThatThrownBy(() -> assertThat(counts).hasValue(6, 3))
                .hasMessageContaining("expected map 'counts' (proto_count on " + p.engine().displayName()
                        + ") to hold 3 at key 6, but it holds 2");
        assertThatThrownBy(() -> assertThat(counts).hasNonZeroCount(2))
                .hasMessageContaining("to have 2 non-zero values, but it has 1; it holds 256 keys: {6=2}")
                .hasMessageContaining("255 with all-zero values not shown");
        assertThatThrownBy(() -> assertThat(counts).hasSize(3)).hasMessageContaining("to have 3 keys, but it has 256");
        assertThatThrownBy(() -> assertThat(counts).doesNotContainKey(6))
                .hasMessageContaining("not to contain key 6, but it holds 2 there");
        assertThatThrownBy(() -> assertThat(counts).containsKey(1L << 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit");
    }

    @Test
    void verdictsAreNamedPerProgramType() {
        assertThat(Verdict.describe(ProgramType.XDP, 3)).isEqualTo("XDP_TX (3)");
        assertThat(Verdict.describe(ProgramType.SCHED_CLS, 2)).isEqualTo("TC_ACT_SHOT (2)");
        assertThat(Verdict.describe(ProgramType.SCHED_ACT, -1)).isEqualTo("TC_ACT_UNSPEC (-1)");
        assertThat(Verdict.describe(ProgramType.SOCKET_FILTER, 0)).isEqualTo("drop (0)");
        assertThat(Verdict.describe(ProgramType.SOCKET_FILTER, 64)).isEqualTo("keep 64 bytes (64)");
        assertThat(Verdict.describe(ProgramType.XDP, 9)).isEqualTo("9 (no XDP verdict)");
    }
}
