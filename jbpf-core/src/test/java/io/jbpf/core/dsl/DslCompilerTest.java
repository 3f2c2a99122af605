package io.jbpf.core.dsl;

import static io.jbpf.core.dsl.Dsl.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.dsl.header.Tcp;
import io.jbpf.core.insn.Alu;
import io.jbpf.core.insn.CallHelper;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Imm;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.Jump;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Load;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Width;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.ProgramType;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The shape of the code the DSL generates, and the errors it gives for programs it cannot build. */
class DslCompilerTest {

    private static List<Insn> insns(PacketProgram p) {
        return p.programSpec().instructions();
    }

    private static long count(PacketProgram p, Predicate<Insn> what) {
        return insns(p).stream().filter(what).count();
    }

    /** A bounds check of the direct-access parser: {@code if r1 > r9} (data_end). */
    private static boolean boundsCheck(Insn i) {
        return i instanceof Jump j && j.cond() == JumpCond.GT && j.dst() == Reg.R1 && j.src() == Reg.R9;
    }

    private static PacketProgram xdp(Match m) {
        return PacketProgram.forTarget(Target.XDP).when(m).then(drop()).build();
    }

    @Test
    void eachHeaderIsCheckedOnceHoweverManyFieldsAreRead() {
        PacketProgram one = xdp(tcp().dstPort().eq(80));
        PacketProgram many = xdp(tcp().dstPort().eq(80).and(tcp().srcPort().gt(1024)).and(tcp().flags().allSet(Tcp.SYN))
                .and(tcp().window().lt(100)).and(tcp().seq().ne(0)).or(tcp().urgentPointer().eq(1)));
        assertThat(count(many, DslCompilerTest::boundsCheck)).isEqualTo(count(one, DslCompilerTest::boundsCheck));
        // Ethernet with the shortest network header after it (IPv4's 20 bytes), two tags (each with
        // that header after it), IPv6, the IPv6 extension headers (4 steps, each with a check on its
        // three ways: options-like, AH, fragment), TCP
        assertThat(count(one, DslCompilerTest::boundsCheck)).isEqualTo(1 + 2 + 1 + 4 * 3 + 1);
        assertThat(count(xdp(ipv4().ttl().eq(1)), DslCompilerTest::boundsCheck)).as("no transport header: no walk")
                .isEqualTo(1 + 2);
        assertThat(count(xdp(eth().type().eq(0x0800)), DslCompilerTest::boundsCheck)).isEqualTo(1);
        // the up-front parser: Ethernet, two tags, IPv4, IPv6, the walk, TCP
        PacketProgram upFront = PacketProgram.forTarget(Target.XDP).parseHeadersUpFront().when(tcp().dstPort().eq(80)
                .and(tcp().srcPort().gt(1024)).or(tcp().urgentPointer().eq(1))).then(drop()).build();
        assertThat(count(upFront, DslCompilerTest::boundsCheck)).isEqualTo(1 + 2 + 1 + 1 + 4 * 3 + 1);
    }

    private static final Match FILTER = ipv4().src().in(cidrs("10.0.0.0/8", "192.168.0.0/16"))
            .and(tcp().dstPort().between(80, 90));

    /** Instructions the VM executes for {@code frame}. */
    private static int executed(PacketProgram p, byte[] frame, int verdict) {
        int[] steps = {0};
        io.jbpf.core.vm.Vm vm = io.jbpf.core.vm.Vm.builder().tracer((at, insn, before, after) -> steps[0]++).build();
        assertThat(p.loadVm(vm).run(frame).verdict()).isEqualTo(verdict);
        return steps[0];
    }

    /** Ethernet, IPv4 from {@code a}.1.2.3 to 192.0.2.1, TCP to port 85. */
    private static byte[] tcpFrame(int a) {
        byte[] p = new byte[64];
        p[12] = 0x08;
        p[14] = 0x45;
        p[23] = 6;
        p[26] = (byte) a;
        p[27] = 1;
        p[30] = (byte) 192;
        p[37] = 85;
        p[46] = 0x50;
        return p;
    }

    @Test
    void theLazyParserTestsEachFieldWhereItsHeaderIsFoundAndStopsAtTheFirstFailure() {
        PacketProgram lazy = xdp(FILTER);
        PacketProgram upFront = PacketProgram.forTarget(Target.XDP).parseHeadersUpFront().when(FILTER).then(drop())
                .build();
        int lazyMiss = executed(lazy, tcpFrame(11), 2);
        int upFrontMiss = executed(upFront, tcpFrame(11), 2);
        int lazyMatch = executed(lazy, tcpFrame(10), 1);
        int upFrontMatch = executed(upFront, tcpFrame(10), 1);
        // a source outside the set is passed before the TCP header is looked for
        assertThat(lazyMiss).isLessThan(upFrontMiss).isLessThan(lazyMatch - 10);
        assertThat(lazyMatch).isLessThan(upFrontMatch);
        // written the other way round, the terms are still tested outer header first
        PacketProgram reversed = xdp(tcp().dstPort().between(80, 90).and(ipv4().src().in(cidrs("10.0.0.0/8",
                "192.168.0.0/16"))));
        assertThat(executed(reversed, tcpFrame(11), 2)).isEqualTo(lazyMiss);
        assertThat(reversed.programSpec()).isEqualTo(lazy.programSpec());
        // only R7-R9 and the program's own registers: nothing is spilled to the stack for two headers
        assertThat(insns(lazy)).noneMatch(i -> i instanceof io.jbpf.core.insn.Store st && st.dst() == Reg.R10);
    }

    @Test
    void aProgramThatReadsNoHeaderHasNoParser() {
        PacketProgram p = xdp(packetLength().gt(100));
        assertThat(count(p, DslCompilerTest::boundsCheck)).isZero();
        assertThat(p.programSpec().instructionCount()).isLessThan(12);
    }

    @Test
    void constantsAreComparedInNetworkOrderWithoutSwappingTheField() {
        List<Insn> insns = insns(xdp(tcp().dstPort().eq(80)));
        assertThat(insns).anyMatch(i -> i instanceof Jump j && j.width() == Width.W32 && j.src().equals(Imm.of(0x5000)));
        // a range needs the value in host order: one byte swap
        List<Insn> range = insns(xdp(tcp().dstPort().between(80, 90)));
        assertThat(range).anyMatch(i -> i instanceof io.jbpf.core.insn.ByteSwap);
        // as one unsigned compare: port - 80 > 10
        assertThat(range).anyMatch(i -> i instanceof Alu a && a.op() == io.jbpf.core.insn.AluOp.ADD
                && a.src().equals(Imm.of(-80)));
        assertThat(range).anyMatch(i -> i instanceof Jump j && j.cond() == JumpCond.GT && j.src().equals(Imm.of(10)));
    }

    @Test
    void andOrNotBecomeBranchesWithoutBooleans() {
        PacketProgram p = xdp(or(tcp().port(22), and(udp().dstPort().eq(53), not(ipv4().ttl().eq(1)))));
        // no register is ever set to a truth value: the only immediate moves are the verdicts and parser constants
        assertThat(insns(p)).noneMatch(i -> i instanceof Alu a && a.op() == io.jbpf.core.insn.AluOp.MOV
                && a.dst() == Reg.R2 && a.src() instanceof Imm);
        String text = Disassembler.create().disassemble(insns(p));
        assertThat(text).doesNotContain("r0 = 1\n    r0 = 0");
    }

    @Test
    void smallAddressSetsAreInlineAndLargeOnesAnLpmTrieFilledAtLoad() {
        PacketProgram small = xdp(ipv4().src().in("10.0.0.0/8", "192.168.0.0/16"));
        assertThat(small.maps()).isEmpty();
        assertThat(count(small, i -> i instanceof CallHelper)).isZero();
        String[] many = DslCatalog.manyV4(9);
        PacketProgram large = xdp(ipv4().src().in(many));
        assertThat(large.maps()).singleElement().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MapType.LPM_TRIE);
            assertThat(m.keySize()).isEqualTo(8);
            assertThat(m.flags() & MapFlags.NO_PREALLOC).isNotZero();
        });
        assertThat(large.mapEntries()).hasSize(9);
        MapEntry first = large.mapEntries().get(0);
        assertThat(first.key()).containsExactly(16, 0, 0, 0, 10, 0, 0, 0);
        assertThat(count(large, i -> i instanceof CallHelper c && c.helperId() == Helper.MAP_LOOKUP_ELEM.id()))
                .isEqualTo(1);
        PacketProgram named = xdp(ipv6().dst().in(Cidrs.of("2001:db8::/32").inMap("blocked6")));
        assertThat(named.map("blocked6")).get().extracting(m -> m.keySize()).isEqualTo(20);
    }

    @Test
    void socketFiltersCopyHeadersWithLoadBytesRelativeAndNeverTouchDataPointers() {
        PacketProgram p = PacketProgram.forTarget(Target.SOCKET_FILTER).when(tcp().dstPort().eq(80)).then(drop()).build();
        assertThat(p.programSpec().type()).isEqualTo(ProgramType.SOCKET_FILTER);
        assertThat(insns(p)).anyMatch(i -> i instanceof CallHelper c && c.helperId() == Helper.SKB_LOAD_BYTES_RELATIVE.id());
        assertThat(insns(p)).noneMatch(i -> i instanceof Load l && l.src() == Reg.R6 && (l.offset() == 76 || l.offset() == 80));
        assertThat(insns(p).get(insns(p).size() - 2)).as("pass keeps the whole packet")
                .isEqualTo(new Alu(Width.W64, io.jbpf.core.insn.AluOp.MOV, Reg.R0, Imm.of(-1)));
    }

    @Test
    void targetsReadTheirOwnContextOffsets() {
        PacketProgram tc = PacketProgram.forTarget(Target.TC_INGRESS).when(tcp().present()).then(drop()).build();
        assertThat(insns(tc)).anyMatch(i -> i instanceof Load l && l.src() == Reg.R6 && l.offset() == 76);
        assertThat(insns(tc)).anyMatch(i -> i instanceof Load l && l.src() == Reg.R6 && l.offset() == 80);
        assertThat(tc.programSpec().type()).isEqualTo(ProgramType.SCHED_CLS);
        PacketProgram x = xdp(tcp().present());
        assertThat(insns(x)).anyMatch(i -> i instanceof Load l && l.src() == Reg.R6 && l.offset() == 0);
        assertThat(insns(x)).anyMatch(i -> i instanceof Load l && l.src() == Reg.R6 && l.offset() == 4);
    }

    @Test
    void rulesThatCannotMatchAndCodeAfterAnAlwaysEndingRuleAreLeftOut() {
        PacketProgram p = PacketProgram.forTarget(Target.XDP).when(tcp().dstPort().lt(0)).then(countPerCpu("never"))
                .when(always()).then(drop()).when(udp().present()).then(pass()).build();
        assertThat(p.maps()).isEmpty();
        assertThat(p.programSpec().instructionCount()).isEqualTo(3); // r6 = r1; r0 = XDP_DROP; exit
    }

    @Test
    void countersAndProgramArraysGrowToTheLargestIndexUsed() {
        PacketProgram p = PacketProgram.forTarget(Target.XDP).when(tcp().present()).then(countPerCpu("c", 2))
                .when(udp().present()).then(countPerCpu("c", 7), tailCall("j", 3)).build();
        assertThat(p.map("c")).get().satisfies(m -> {
            assertThat(m.type()).isEqualTo(MapType.PERCPU_ARRAY);
            assertThat(m.maxEntries()).isEqualTo(8);
            assertThat(m.valueSize()).isEqualTo(16);
        });
        assertThat(p.map("j")).get().extracting(m -> m.type()).isEqualTo(MapType.PROG_ARRAY);
    }

    @Test
    void codePredicatesAndActionsGetTheRegisterContract() {
        PacketProgram p = PacketProgram.forTarget(Target.TC_EGRESS).when(code(DslCatalog.multicastDestination()))
                .then(code(DslCatalog.dropTtlOne()), pass()).build();
        assertThat(p.programSpec().instructions()).isNotEmpty();
        assertThatThrownBy(() -> PacketProgram.forTarget(Target.XDP).when(code((e, y, n) -> {
            e.loadField(ipv4().ttl(), Reg.R1, n);
            e.asm().ja(y);
        })).then(drop()).build()).isInstanceOf(DslException.class).hasMessageContaining("does not parse IPV4");
        assertThatThrownBy(() -> PacketProgram.forTarget(Target.SOCKET_FILTER).when(code((e, y, n) -> {
            e.loadPacketStart(Reg.R1);
            e.asm().ja(y);
        })).then(drop()).build()).isInstanceOf(DslException.class).hasMessageContaining("no direct packet access");
    }

    @Test
    void badProgramsAreClearErrors() {
        assertThatThrownBy(() -> PacketProgram.forTarget(Target.SOCKET_FILTER).when(always()).then(redirect(3)).build())
                .isInstanceOf(DslException.class).hasMessageContaining("cannot redirect");
        assertThatThrownBy(() -> tcp().dstPort().eq(70000)).isInstanceOf(DslException.class)
                .hasMessageContaining("tcp.dstPort").hasMessageContaining("0..65535");
        assertThatThrownBy(() -> tcp().dstPort().between(90, 80)).isInstanceOf(DslException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ipv4().src().in("2001:db8::/32")).isInstanceOf(DslException.class)
                .hasMessageContaining("ipv4.src");
        assertThatThrownBy(() -> cidrs("10.0.0.0/8", "2001:db8::/32")).isInstanceOf(DslException.class)
                .hasMessageContaining("different families");
        assertThatThrownBy(() -> cidrs("10.0.0.300")).isInstanceOf(DslException.class).hasMessageContaining("10.0.0.300");
        assertThatThrownBy(() -> cidrs("10.0.0.1/8")).isInstanceOf(DslException.class)
                .hasMessageContaining("bits set after the prefix");
        assertThatThrownBy(() -> cidrs("10.0.0.0/33")).isInstanceOf(DslException.class).hasMessageContaining("33");
        assertThatThrownBy(() -> sample("ring", 1000)).isInstanceOf(DslException.class).hasMessageContaining("1..256");
        assertThatThrownBy(() -> new Rule(always(), List.of(drop(), countPerCpu("x")))).isInstanceOf(DslException.class)
                .hasMessageContaining("follows");
        assertThatThrownBy(() -> PacketProgram.forTarget(Target.XDP).when(tcp().present()).then(countPerCpu("m"))
                .when(udp().present()).then(sample("m", 10)).build()).isInstanceOf(DslException.class)
                .hasMessageContaining("map 'm'");
        assertThatThrownBy(() -> PacketProgram.forTarget(Target.XDP).ipv6ExtensionHeaders(9))
                .isInstanceOf(DslException.class);
    }

    @Test
    void programsAreComparableValues() {
        PacketProgram a = xdp(ipv4().dst().eq("192.0.2.1"));
        PacketProgram b = xdp(ipv4().dst().eq("192.0.2.1"));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(xdp(ipv4().dst().eq("192.0.2.2")));
        assertThat(a.toString()).contains("XDP");
    }
}
