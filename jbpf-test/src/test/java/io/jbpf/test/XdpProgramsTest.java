package io.jbpf.test;

import static io.jbpf.test.BpfAssertions.assertThat;
import static io.jbpf.test.Programs.frame;
import static io.jbpf.test.Verdict.XDP_DROP;
import static io.jbpf.test.Verdict.XDP_PASS;

import io.jbpf.test.packet.Packet;

/** XDP programs tested with {@link BpfTest} on the interpreter, the JIT and the kernel. */
class XdpProgramsTest {

    static TestProgram dropTcp80() {
        return Programs.dropTcp80();
    }

    @BpfTest(program = "dropTcp80")
    void dropsTcpToPort80(BpfProgramUnderTest p) {
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build())).hasVerdict(XDP_DROP);
    }

    @BpfTest(program = "dropTcp80")
    void passesOtherTrafficUnchanged(BpfProgramUnderTest p) {
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 443).build())).hasVerdict(XDP_PASS)
                .packetIsUnchanged();
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1234, 80).build())).hasVerdict(XDP_PASS);
        assertThat(p.run(frame().ipv6("fd00::1", "fd00::2").tcp(1234, 80).build())).hasVerdict(XDP_PASS);
        assertThat(p.run(frame().arpRequest("10.0.0.1", "10.0.0.2").build())).hasVerdict(XDP_PASS);
    }

    @BpfTest(program = "dropTcp80")
    void findsThePortBehindIpOptions(BpfProgramUnderTest p) {
        Packet withOptions = frame().ipv4("10.0.0.1", "10.0.0.2").routerAlert().tcp(1234, 80).build();
        assertThat(p.run(withOptions)).hasVerdict(XDP_DROP);
    }

    @BpfTest(program = "dropTcp80")
    void passesTruncatedSegments(BpfProgramUnderTest p) {
        Packet cut = frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build().truncated(36);
        assertThat(p.run(cut)).hasVerdict(XDP_PASS).packetIsUnchanged();
    }

    @BpfTest(program = "io.jbpf.test.Programs#ttlDecrementer")
    void decrementsTheTtlAndKeepsTheChecksumValid(BpfProgramUnderTest p) {
        RunOutcome out = p.run(frame().ipv4("10.0.0.1", "10.0.0.2").ttl(64).tcp(1234, 80).build());
        assertThat(out).hasVerdict(XDP_PASS).packetIsChanged().packet().hasTtl(63).hasValidChecksums()
                .hasIpv4Destination("10.0.0.2").hasTcpDestinationPort(80);
    }

    @BpfTest(program = "io.jbpf.test.Programs#ttlDecrementer")
    void checksumCarryIsFolded(BpfProgramUnderTest p) {
        // ids chosen so the old checksum is near 0xffff and adding 0x100 carries out of 16 bits
        for (int id = 0; id < 512; id += 7) {
            Packet in = frame().ipv4("10.0.0.1", "10.0.0.2").ttl(200).id(id).udp(53, 53).build();
            assertThat(p.run(in)).hasVerdict(XDP_PASS).packet().hasTtl(199).hasValidChecksums();
        }
    }

    @BpfTest(program = "io.jbpf.test.Programs#ttlDecrementer")
    void dropsWhenTheTtlRunsOut(BpfProgramUnderTest p) {
        assertThat(p.run(frame().ipv4("10.0.0.1", "10.0.0.2").ttl(1).udp(53, 53).build())).hasVerdict(XDP_DROP);
    }

    static TestProgram counter() {
        return Programs.protocolCounter();
    }

    @BpfTest(program = "counter")
    void countsPacketsPerProtocol(BpfProgramUnderTest p) {
        Packet tcp = frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build();
        Packet udp = frame().ipv4("10.0.0.1", "10.0.0.2").udp(1234, 53).build();
        Packet icmp = frame().ipv4("10.0.0.1", "10.0.0.2").icmpEchoRequest(1, 1).build();
        for (Packet packet : new Packet[] {tcp, tcp, tcp, udp, icmp, udp}) {
            assertThat(p.run(packet)).hasVerdict(XDP_PASS).packetIsUnchanged();
        }
        p.run(frame().ipv6("fd00::1", "fd00::2").udp(1, 2).build()); // not counted
        assertThat(p.map("counts")).hasValue(6, 3).hasValue(17, 2).hasValue(1, 1).hasValue(58, 0)
                .hasNonZeroCount(3).hasSize(256);
    }
}
