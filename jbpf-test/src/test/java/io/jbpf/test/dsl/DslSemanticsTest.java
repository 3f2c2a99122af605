package io.jbpf.test.dsl;

import static io.jbpf.core.dsl.Dsl.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.BpfException;
import io.jbpf.core.dsl.Cidrs;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import java.util.Set;
import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.dsl.header.Tcp;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.map.MemoryRingBuffer;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.maps.ringbuf.RingBufferReader;
import io.jbpf.test.packet.EthernetBuilder;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.VlanTag;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What DSL programs mean, checked on chosen packets in the VM and in the kernel for every target:
 * the parser finds headers behind VLAN tags, IPv4 options and IPv6 extension headers and gives up
 * where it should (truncation, bad IHL, later fragments, too many extension headers), absent
 * headers make comparisons false, address sets and flags match what they say, and the actions
 * count, sample and tail call as documented.
 */
@KernelTest
class DslSemanticsTest {

    static EthernetBuilder frame() {
        return Packet.ether("02:00:00:00:00:01", "02:00:00:00:00:02");
    }

    /** A program loaded in the VM and the kernel; {@link #matches} runs both and checks they agree. */
    static final class Both implements AutoCloseable {
        final PacketProgram program;
        final VmPacketProgram vm;
        final KernelPacketProgram kernel;

        Both(PacketProgram program) {
            this.program = program;
            this.vm = program.loadVm(Vm.create());
            this.kernel = program.load();
        }

        int verdict(byte[] frame) {
            RunResult r = vm.run(frame);
            int k;
            try {
                k = kernel.testRun(frame).returnValue();
            } catch (BpfException e) {
                return r.verdict(); // a socket buffer the kernel's test run refuses (short IP header)
            }
            assertThat(r.verdict()).as("VM and kernel verdicts for %s", Packet.of(frame)).isEqualTo(k);
            return k;
        }

        boolean matches(Packet p) {
            return verdict(p.bytes()) == program.target().dropVerdict();
        }

        @Override
        public void close() {
            kernel.close();
        }
    }

    static Both both(Target t, Function<PacketProgram.Builder, PacketProgram.Builder> f) {
        return new Both(f.apply(PacketProgram.forTarget(t).name("jbpf_dsl_sem")).build());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void theExampleOfTheIssue(Target t) {
        try (Both p = both(t, b -> b.when(ipv4().src().in(cidrs("10.0.0.0/8")).and(tcp().dstPort().between(80, 90)))
                .then(countPerCpu("hits"), drop()).otherwise(pass()))) {
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").tcp(1234, 85).build())).isTrue();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").tcp(1234, 80).build())).isTrue();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").tcp(1234, 90).build())).isTrue();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").tcp(1234, 79).build())).isFalse();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").tcp(1234, 91).build())).isFalse();
            assertThat(p.matches(frame().ipv4("11.1.2.3", "192.0.2.1").tcp(1234, 85).build())).isFalse();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").udp(1234, 85).build())).isFalse();
            // behind tags and options
            assertThat(p.matches(frame().vlan(100).ipv4("10.1.2.3", "192.0.2.1").tcp(1, 85).build())).isTrue();
            assertThat(p.matches(frame().qinq(7, 8).ipv4("10.1.2.3", "192.0.2.1").tcp(1, 85).build())).isTrue();
            assertThat(p.matches(frame().tag(new VlanTag(0x88a8, 0, false, 3)).tag(new VlanTag(0x8100, 0, false, 4))
                    .ipv4("10.1.2.3", "192.0.2.1").tcp(1, 85).build())).isTrue();
            assertThat(p.matches(frame().vlan(1).vlan(2).vlan(3).ipv4("10.1.2.3", "192.0.2.1").tcp(1, 85).build()))
                    .as("three tags: the parser stops after two").isFalse();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").routerAlert().tcp(1, 85).build())).isTrue();
            // fragments, bad IHL, truncation
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").moreFragments().tcp(1, 85).build()))
                    .as("the first fragment has the TCP header").isTrue();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").fragmentOffset(64).tcp(1, 85).build()))
                    .as("a later fragment has none").isFalse();
            assertThat(p.matches(frame().ipv4("10.1.2.3", "192.0.2.1").ihl(4).tcp(1, 85).build())).isFalse();
            Packet whole = frame().ipv4("10.1.2.3", "192.0.2.1").tcp(1, 85).build();
            assertThat(p.matches(whole.truncated(14 + 20 + 19))).as("19 bytes of TCP").isFalse();
            assertThat(p.matches(whole.truncated(14 + 20 + 20))).as("20 bytes of TCP").isTrue();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").tcp(1, 85).build())).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void ipv6ExtensionHeadersAreWalkedUpToTheLimit(Target t) {
        try (Both p = both(t, b -> b.ipv6ExtensionHeaders(4).when(tcp().dstPort().eq(80)).then(drop()))) {
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").tcp(1, 80).build())).isTrue();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").hopByHop().routing(0, "2001:db8::9")
                    .destinationOptions().tcp(1, 80).build())).isTrue();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").hopByHop().extension(51, new byte[6])
                    .destinationOptions(new byte[14]).destinationOptions().tcp(1, 80).build())).as("four, AH among them")
                    .isTrue();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").hopByHop().destinationOptions()
                    .destinationOptions().destinationOptions().destinationOptions().tcp(1, 80).build()))
                    .as("five: past the limit").isFalse();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").fragment(0, true, 9).tcp(1, 80).build()))
                    .as("first fragment").isTrue();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").fragment(8, false, 9).tcp(1, 80).build()))
                    .as("later fragment").isFalse();
            Packet cut = frame().ipv6("2001:db8::1", "2001:db8::2").hopByHop(new byte[14]).tcp(1, 80).build();
            assertThat(p.matches(cut.truncated(14 + 40 + 12))).as("a truncated extension header").isFalse();
        }
        try (Both p = both(t, b -> b.ipv6ExtensionHeaders(8).when(tcp().dstPort().eq(80)).then(drop()))) {
            var seven = frame().ipv6("2001:db8::1", "2001:db8::2").hopByHop().routing(0, "2001:db8::9")
                    .extension(51, new byte[6]).fragment(0, true, 3).destinationOptions(new byte[22])
                    .destinationOptions().destinationOptions();
            assertThat(p.matches(seven.tcp(1, 80).build())).as("seven of eight").isTrue();
            var nine = frame().ipv6("2001:db8::1", "2001:db8::2");
            for (int i = 0; i < 9; i++) {
                nine.destinationOptions();
            }
            assertThat(p.matches(nine.tcp(1, 80).build())).as("nine of eight").isFalse();
        }
        try (Both p = both(t, b -> b.when(ipv6().isFragment().and(ipv6().fragmentOffset().eq(3))
                .and(ipv6().moreFragments().eq(1))).then(drop()))) {
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").hopByHop().fragment(24, true, 1)
                    .udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").fragment(24, false, 1).udp(1, 2).build()))
                    .isFalse();
            assertThat(p.matches(frame().ipv6("2001:db8::1", "2001:db8::2").udp(1, 2).build())).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void absentHeadersMakeComparisonsFalseAndTheirNegationTrue(Target t) {
        try (Both p = both(t, b -> b.when(not(tcp().dstPort().eq(80)).and(ipv4().present())).then(drop()))) {
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 80).build())).isTrue();
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 80).build())).isFalse();
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 81).build())).isTrue();
        }
        try (Both p = both(t, b -> b.when(tcp().dstPort().ne(80)).then(drop()))) {
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 81).build())).as("ne on UDP").isFalse();
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 81).build())).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void addressSetsInlineAndInLpmMaps(Target t) {
        String[] many = new String[20];
        for (int i = 0; i < 19; i++) {
            many[i] = "10." + i + ".0.0/16";
        }
        many[19] = "192.0.2.0/24";
        try (Both p = both(t, b -> b.when(ipv4().dst().in(cidrs(many))).then(drop()))) {
            assertThat(p.program.maps()).anyMatch(m -> m.name().startsWith("jbpf_lpm"));
            assertThat(p.matches(frame().ipv4("1.1.1.1", "10.5.1.1").udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().ipv4("1.1.1.1", "192.0.2.200").udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().ipv4("1.1.1.1", "10.200.0.1").udp(1, 2).build())).isFalse();
            assertThat(p.matches(frame().ipv4("10.5.1.1", "192.0.3.1").udp(1, 2).build())).isFalse();
        }
        try (Both p = both(t, b -> b.when(ipv6().src().in(Cidrs.of("fe80::/10", "2001:db8:1::/48"))
                .or(ipv6().dst().in(Cidrs.of("2001:db8:ff::/64").inMap("v6dst")))).then(drop()))) {
            assertThat(p.matches(frame().ipv6("fe80::1", "fd00::1").udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().ipv6("febf::1", "fd00::1").udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().ipv6("fec0::1", "fd00::1").udp(1, 2).build())).isFalse();
            assertThat(p.matches(frame().ipv6("2001:db8:1:7::1", "fd00::1").udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().ipv6("2001:db8:2::1", "fd00::1").udp(1, 2).build())).isFalse();
            assertThat(p.matches(frame().ipv6("fd00::1", "2001:db8:ff:0:1::1").udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().ipv6("fd00::1", "2001:db8:ff:1::1").udp(1, 2).build())).isFalse();
        }
        try (Both p = both(t, b -> b.when(eth().src().eq("02:00:00:00:00:01").and(arp().targetIp().in("10.0.0.0/24")))
                .then(drop()))) {
            assertThat(p.matches(frame().arpRequest("10.0.0.1", "10.0.0.7").build())).isTrue();
            assertThat(p.matches(frame().arpRequest("10.0.0.1", "10.0.1.7").build())).isFalse();
            assertThat(p.matches(Packet.ether("02:00:00:00:00:03", "02:00:00:00:00:02").arpRequest("10.0.0.1", "10.0.0.7")
                    .build())).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void flagsLengthsAndBitFields(Target t) {
        try (Both p = both(t, b -> b.when(tcp().flags().allSet(Tcp.SYN).and(tcp().flags().noneSet(Tcp.ACK)))
                .then(drop()))) {
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(Tcp.SYN).build())).isTrue();
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(Tcp.SYN | Tcp.ACK).build()))
                    .isFalse();
            assertThat(p.matches(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).flags(Tcp.ACK).build())).isFalse();
        }
        try (Both p = both(t, b -> b.when(vlan().id().eq(100).and(vlan().priority().eq(5))
                .and(innerVlan().id().between(10, 20))).then(drop()))) {
            assertThat(p.matches(frame().tag(new VlanTag(0x8100, 5, false, 100)).tag(new VlanTag(0x8100, 0, false, 15))
                    .ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build())).isTrue();
            assertThat(p.matches(frame().tag(new VlanTag(0x8100, 4, false, 100)).tag(new VlanTag(0x8100, 0, false, 15))
                    .ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build())).isFalse();
            assertThat(p.matches(frame().vlan(100, 5).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build())).isFalse();
        }
        try (Both p = both(t, b -> b.when(packetLength().gt(200)).then(drop()))) {
            int header = t == Target.SOCKET_FILTER ? 14 : 0; // a socket filter's skb->len starts at the network header
            byte[] small = frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(new byte[200 - 42 + header]).build()
                    .bytes();
            assertThat(p.verdict(small)).isEqualTo(t.passVerdict());
            byte[] big = Arrays.copyOf(small, small.length + 1);
            assertThat(p.verdict(big)).isEqualTo(t.dropVerdict());
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void countsAndSamples(Target t) {
        try (Both p = both(t, b -> b.when(udp().present()).then(countPerCpu("udp", 1), sample("ring", 32, 4096))
                .otherwise(pass()))) {
            List<byte[]> sent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                byte[] f = frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(new byte[i * 10]).build().bytes();
                sent.add(f);
                p.verdict(f);
            }
            p.verdict(frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build().bytes());
            long bytes = 0;
            for (byte[] f : sent) {
                bytes += f.length - (t == Target.SOCKET_FILTER ? 14 : 0);
            }
            assertThat(DslDifferentialTest.counters(p.vm.maps())).isEqualTo("udp[0]=0/0 udp[1]=3/" + bytes + " ");
            assertThat(DslDifferentialTest.counters(p.kernel.maps())).isEqualTo("udp[0]=0/0 udp[1]=3/" + bytes + " ");
            List<byte[]> records = ((MemoryRingBuffer) p.vm.map("ring")).drain();
            assertThat(records).hasSize(3);
            for (int i = 0; i < 3; i++) {
                byte[] f = sent.get(i);
                int len = f.length - (t == Target.SOCKET_FILTER ? 14 : 0);
                byte[] expected = ByteBuffer.allocate(4 + Math.min(32, len)).order(ByteOrder.LITTLE_ENDIAN).putInt(len)
                        .put(f, 0, Math.min(32, len)).array();
                assertThat(records.get(i)).as("record %d", i).isEqualTo(expected);
            }
            List<byte[]> kernelRecords = new ArrayList<>();
            try (RingBufferReader r = RingBufferReader.open(p.kernel.map("ring"))) {
                r.drain((buf, off, len) -> {
                    byte[] rec = new byte[len];
                    buf.get(off, rec);
                    kernelRecords.add(rec);
                });
            }
            assertThat(kernelRecords).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(kernelRecords.get(i)).isEqualTo(records.get(i));
            }
        }
    }

    /** Sets the IPv4 TTL to 42: directly on XDP, with bpf_skb_store_bytes and a re-parse on TC. */
    static CodeAction setTtl() {
        return new CodeAction() {
            @Override
            public void emit(Emitter e) {
                Assembler a = e.asm();
                String none = e.label("no_ipv4");
                if (e.target() == Target.XDP) {
                    e.headerPointer(Layer.IPV4, Reg.R1, none);
                    a.store(Size.B, Reg.R1, 8, 42);
                } else {
                    int buf = e.stack(8);
                    e.headerOffset(Layer.IPV4, Reg.R2, Reg.R1, none);
                    a.add(Reg.R2, 8);
                    a.store(Size.B, Reg.R10, buf, 42);
                    a.mov(Reg.R1, Reg.R6).mov(Reg.R3, Reg.R10).add(Reg.R3, buf).mov(Reg.R4, 1).mov(Reg.R5, 0);
                    a.call(Helper.SKB_STORE_BYTES);
                    e.reparse(); // the helper made the verifier forget every packet pointer
                }
                a.label(none);
            }

            @Override
            public Set<Layer> layers() {
                return Set.of(Layer.IPV4);
            }
        };
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"XDP", "TC_INGRESS", "TC_EGRESS"})
    void codeActionsRewriteThePacketAndLaterRulesSeeTheRewrite(Target t) {
        try (Both p = both(t, b -> b.when(ipv4().present()).then(code(setTtl()))
                .when(ipv4().ttl().eq(42).and(udp().dstPort().eq(53))).then(drop()))) {
            byte[] f = frame().ipv4("10.0.0.1", "10.0.0.2").ttl(64).udp(1, 53).build().bytes();
            assertThat(p.verdict(f)).isEqualTo(t.dropVerdict());
            byte[] out = p.vm.run(f).data();
            assertThat(out[14 + 8]).isEqualTo((byte) 42);
            assertThat(p.kernel.testRun(f).data()).isEqualTo(out);
            assertThat(p.verdict(frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 54).build().bytes()))
                    .isEqualTo(t.passVerdict());
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void countsByAFieldOrAnAddressInAPerCpuHash(Target t) {
        try (Both p = both(t, b -> b.when(udp().present()).then(countPerCpuBy("ports", udp().dstPort(), 16),
                countPerCpuBy("srcs", ipv6().src(), 16)))) {
            byte[] a = frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 53).build().bytes();
            byte[] b = frame().ipv6("2001:db8::1", "2001:db8::2").udp(1, 53).build().bytes();
            byte[] c = frame().ipv6("2001:db8::1", "2001:db8::2").udp(1, 123).payload(new byte[10]).build().bytes();
            for (byte[] f : List.of(a, b, c, c)) {
                p.verdict(f);
            }
            int cut = t == Target.SOCKET_FILTER ? 14 : 0;
            String ports = "ports{35000000=2/" + (a.length + b.length - 2 * cut) + ", 7b000000=2/" + 2 * (c.length - cut)
                    + "} ";
            String srcs = "srcs{20010db8000000000000000000000001=3/" + (b.length + 2 * c.length - 3 * cut) + "} ";
            assertThat(DslDifferentialTest.perCpuHash("ports", p.vm.map("ports"))).isEqualTo(ports);
            assertThat(DslDifferentialTest.perCpuHash("ports", p.kernel.map("ports"))).isEqualTo(ports);
            assertThat(DslDifferentialTest.perCpuHash("srcs", p.vm.map("srcs"))).isEqualTo(srcs);
            assertThat(DslDifferentialTest.perCpuHash("srcs", p.kernel.map("srcs"))).isEqualTo(srcs);
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void tailCallsJumpAndAnEmptySlotGoesOn(Target t) {
        try (Both p = both(t, b -> b.when(udp().present()).then(tailCall("jumps", 1, 4)).otherwise(drop()))) {
            byte[] f = frame().ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).build().bytes();
            assertThat(p.verdict(f)).as("empty slot").isEqualTo(t.dropVerdict());
            ProgramSpec target = ProgramSpec.builder("jbpf_dsl_tail", t.programType())
                    .instructions(new Assembler().mov(Reg.R0, 77).exit().build()).build();
            VmProgram vmTarget = Vm.create().load(target, java.util.Map.of());
            p.vm.map("jumps").setTarget(1, vmTarget);
            try (Program kTarget = Program.load(target)) {
                byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(1).array();
                byte[] value = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(kTarget.fd()).array();
                p.kernel.map("jumps").update(key, value, 0);
                assertThat(p.verdict(f)).isEqualTo(77);
            }
        }
    }
}
