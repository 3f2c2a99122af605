package io.jbpf.test;

import static io.jbpf.test.BpfAssertions.assertThat;
import static io.jbpf.test.BpfAssertions.assertThatThrownBy;
import static io.jbpf.test.Programs.frame;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.test.packet.Packet;
import org.junit.jupiter.api.Test;

/** Context fields in and out, XDP redirects, and the programmatic API without the extension. */
class ContextAndApiTest {
    private static final Packet UDP = frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build();

    /** TC: returns mark + priority + ifindex * 256 and sets the mark to 0x77. */
    static TestProgram skbFields() {
        return TestProgram.assemble("skb_fields", ProgramType.SCHED_CLS, """
                r2 = *(u32 *)(r1 + 8)          ; mark
                r3 = *(u32 *)(r1 + 32)         ; priority
                r4 = *(u32 *)(r1 + 40)         ; ifindex
                r4 <<= 8
                r0 = r2
                r0 += r3
                r0 += r4
                r5 = 0x77
                *(u32 *)(r1 + 8) = r5
                exit
                """);
    }

    @BpfTest(program = "skbFields")
    void skbFieldsGoInAndComeOut(BpfProgramUnderTest p) {
        RunOutcome out = p.run(UDP, RunOptions.DEFAULT.withMark(5).withPriority(3));
        assertThat(out).hasVerdict(5 + 3 + 256).hasMark(0x77).packetIsUnchanged();
        assertThat(out.context()).hasSize(192);
    }

    /** XDP: returns ingress_ifindex * 16 + rx_queue_index; redirects UDP to ifindex 7. */
    static TestProgram xdpFields() {
        return TestProgram.assemble("xdp_fields", ProgramType.XDP, """
                r6 = r1
                r2 = *(u32 *)(r6 + 0)
                r3 = *(u32 *)(r6 + 4)
                r4 = r2
                r4 += 34
                if r4 > r3 goto fields
                r4 = *(u8 *)(r2 + 23)
                if r4 != 17 goto fields
                r1 = 7
                r2 = 0
                call bpf_redirect
                exit
                fields:
                r0 = *(u32 *)(r6 + 12)
                r0 <<= 4
                r1 = *(u32 *)(r6 + 16)
                r0 += r1
                exit
                """);
    }

    @BpfTest(program = "xdpFields")
    void xdpFieldsAndRedirect(BpfProgramUnderTest p) {
        Packet tcp = frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build();
        // XDP frames arrive on loopback in the kernel's test run, and so in the VM
        assertThat(p.run(tcp)).hasVerdict(16);
        assertThat(p.run(tcp, RunOptions.DEFAULT.withIngressIfindex(1))).hasVerdict(16);
        RunOutcome redirected = p.run(UDP);
        assertThat(redirected).hasVerdict(Verdict.XDP_REDIRECT).redirectedTo(7).packetIsUnchanged();
        if (redirected.redirectTargetKnown()) {
            assertThatThrownBy(() -> assertThat(redirected).redirectedTo(8))
                    .hasMessageContaining("expected a redirect to ifindex 8, but it redirected to ifindex 7");
        }
    }

    @Test
    void loadRunAndCloseWithoutTheExtension() {
        MapSpec cfg = MapSpec.of("cfg", MapType.ARRAY, 4, 4, 1);
        TestProgram prog = TestProgram.assemble("cfg_verdict", ProgramType.XDP, """
                *(u32 *)(r10 - 4) = 0
                r1 = map[cfg] ll
                r2 = r10
                r2 += -4
                call bpf_map_lookup_elem
                if r0 == 0 goto out
                r0 = *(u32 *)(r0 + 0)
                exit
                out:
                r0 = 0
                exit
                """, cfg);
        try (BpfProgramUnderTest p = BpfProgramUnderTest.load(prog, BpfEngine.INTERPRETER)) {
            assertThat(p.run(UDP.bytes())).hasVerdict(Verdict.XDP_ABORTED);
            p.map("cfg").typed(Codecs.u32(), Codecs.u32()).put(0, 3);
            assertThat(p.run(UDP)).hasVerdict(Verdict.XDP_TX);
            p.map("cfg").putLong(0, 1);
            assertThat(p.run(UDP)).hasVerdict(Verdict.XDP_DROP);
            assertThat(p.map("cfg").getLong(0)).contains(1L);
            assertThatThrownBy(() -> p.map("nope")).hasMessage("program 'cfg_verdict' has no map 'nope' (it has [cfg])");
            p.close();
            assertThatThrownBy(() -> p.run(UDP)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void programsAreCheckedWhenDescribed() {
        assertThatThrownBy(() -> TestProgram.assemble("no_map", ProgramType.XDP, "r1 = map[counts] ll\nr0 = 0\nexit"))
                .hasMessage("program 'no_map' uses map 'counts', which was not given (maps given: [])");
        assertThatThrownBy(() -> TestProgram.assemble("kprobe", ProgramType.KPROBE, "r0 = 0\nexit"))
                .hasMessageContaining("the test kit runs XDP, SCHED_CLS, SCHED_ACT and SOCKET_FILTER programs");
        try (BpfProgramUnderTest p = BpfProgramUnderTest.load(Programs.dropTcp80(), BpfEngine.INTERPRETER)) {
            assertThatThrownBy(() -> p.run(Packet.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build()))
                    .hasMessage("XDP programs take Ethernet frames, not RAW_IP packets");
        }
    }
}
