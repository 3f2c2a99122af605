package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Context layouts and packet helpers: the same XDP and TC programs in the VM and under
 * BPF_PROG_TEST_RUN give the same verdict, packet, context and map contents.
 */
@KernelTest
class VmContextDifferentialTest {
    private static final MapSpec OUT = MapSpec.of("out", MapType.ARRAY, 4, 256, 1);
    private static final HexFormat HEX = HexFormat.of();

    /** An Ethernet/IPv4/TCP frame with valid checksums, 10.0.0.1:1234 -> 10.0.0.2:80, 6 bytes of payload. */
    static byte[] tcpFrame() {
        return HEX.parseHex("020000000002" + "020000000001" + "0800"
                + "4500002e00014000400626c90a0000010a000002"
                + "04d200500000000100000000501020005e4b0000"
                + "68656c6c6f21");
    }

    record Outcome(long r0, String data, String ctx, String map) {}

    private static Outcome kernel(ProgramType type, List<Insn> insns, byte[] packet, byte[] ctx) {
        ProgramSpec spec = ProgramSpec.builder("jbpf_ctx", type).instructions(insns).license("GPL").build();
        try (KernelMap map = KernelMap.create(OUT); Program p = Program.load(spec, Map.of("out", map))) {
            TestRun run = TestRun.withData(packet).dataOutSize(4096);
            if (ctx != null) {
                run = run.context(ctx);
            }
            TestRunResult r = p.testRun(run);
            byte[] v = new byte[256];
            map.lookup(new byte[4], v);
            return new Outcome(r.returnValue(), HEX.formatHex(r.data()),
                    ctx == null ? "" : HEX.formatHex(r.context()), HEX.formatHex(v));
        }
    }

    private static Outcome vm(Engine engine, List<Insn> insns, Context ctx) {
        MemoryMap map = MemoryMap.create(OUT);
        RunResult r = Vm.builder().engine(engine).build().load("ctx", insns, Map.of("out", map)).run(ctx);
        byte[] v = new byte[256];
        map.lookup(new byte[4], v);
        return new Outcome((int) r.returnValue(), HEX.formatHex(r.data()),
                r.context().length == 0 ? "" : HEX.formatHex(r.context()), HEX.formatHex(v));
    }

    /** The {@code __sk_buff} to give the kernel's test run for the same socket buffer. */
    static byte[] kernelContext(SkbContext skb) {
        byte[] ctx = new byte[192];
        ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).putInt(8, skb.mark()).putInt(32, skb.priority())
                .putInt(36, skb.ingressIfindex()).putInt(40, skb.ifindex());
        return ctx;
    }

    /** The {@code xdp_md} to give the kernel's test run: no metadata, the packet's end, the device and queue. */
    static byte[] xdpContext(XdpContext x) {
        byte[] ctx = new byte[24];
        ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).putInt(4, x.packet().length).putInt(12, x.ingressIfindex())
                .putInt(16, x.rxQueueIndex());
        return ctx;
    }

    private static void same(ProgramType type, String asm, byte[] packet, byte[] ignored, Context vmCtx) {
        List<Insn> insns = AsmParser.parse(asm);
        byte[] kernelCtx = vmCtx instanceof SkbContext skb ? kernelContext(skb)
                : vmCtx instanceof XdpContext x ? xdpContext(x) : null;
        Outcome k = kernel(type, insns, packet, kernelCtx);
        for (Engine e : VmKernelDifferentialTest.engines()) {
            Outcome v = vm(e, insns, vmCtx);
            if (kernelCtx == null) {
                v = new Outcome(v.r0(), v.data(), "", v.map());
            }
            assertThat(v).as("%s on %s", asm, e).isEqualTo(k);
        }
    }

    /** Copies r0.. fields: "rN = *(u32 *)(r1 + off)" for each offset into the map value at 4*i. */
    private static String storeFields(int... offsets) {
        StringBuilder sb = new StringBuilder("r6 = r1\n");
        for (int i = 0; i < offsets.length; i++) {
            sb.append("r7 = *(u32 *)(r6 + ").append(offsets[i]).append(")\n");
            sb.append("*(u32 *)(r10 - ").append(256 - 4 * i).append(") = r7\n");
        }
        sb.append("*(u32 *)(r10 - 260) = 0\nr2 = r10\nr2 += -260\nr1 = map[out] ll\ncall bpf_map_lookup_elem\n")
                .append("if r0 == 0 goto out\n");
        for (int i = 0; i < offsets.length; i++) {
            sb.append("r7 = *(u32 *)(r10 - ").append(256 - 4 * i).append(")\n");
            sb.append("*(u32 *)(r0 + ").append(4 * i).append(") = r7\n");
        }
        return sb.append("out:\n").toString();
    }

    @Test
    void skbFieldsAsTheKernelSetsThem() {
        // len, pkt_type, mark, queue_mapping, protocol, vlan_present, vlan_tci, vlan_proto, priority,
        // ingress_ifindex, ifindex, tc_index, cb[0..4], hash, tc_classid, napi_id, wire_len, gso_segs, gso_size
        String prog = storeFields(0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 68, 72, 84, 160,
                164, 176) + "r0 = 0\nexit";
        byte[] ctx = new byte[192];
        ByteBuffer b = ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(8, 77).putInt(32, 5).putInt(40, 1);
        same(ProgramType.SCHED_CLS, prog, tcpFrame(), ctx, SkbContext.tc(tcpFrame()).withMark(77).withPriority(5));
        String filter = storeFields(0, 4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 48, 52, 56, 60, 64, 68) + "r0 = 0\nexit";
        same(ProgramType.SOCKET_FILTER, filter, tcpFrame(), null, SkbContext.socketFilter(tcpFrame()));
        byte[] bcast = tcpFrame();
        java.util.Arrays.fill(bcast, 0, 6, (byte) 0xff);
        same(ProgramType.SCHED_CLS, prog, bcast, null, SkbContext.tc(bcast));
    }

    @Test
    void skbWritesComeBackInTheContext() {
        String prog = String.join("\n", "r2 = 0x1234", "*(u32 *)(r1 + 8) = r2", "*(u32 *)(r1 + 32) = r2",
                "*(u32 *)(r1 + 48) = r2", "*(u32 *)(r1 + 64) = r2", "r0 = 0", "exit");
        byte[] ctx = new byte[192];
        ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 1);
        same(ProgramType.SCHED_CLS, prog, tcpFrame(), ctx, SkbContext.tc(tcpFrame()));
    }

    @Test
    void directPacketAccessAndLegacyLoads() {
        String tc = String.join("\n",
                "r2 = *(u32 *)(r1 + 76)", "r3 = *(u32 *)(r1 + 80)", "r4 = r2", "r4 += 38",
                "if r4 > r3 goto drop",
                "r0 = *(u16 *)(r2 + 36)", // tcp dst port, network order
                "r5 = *(u8 *)(r2 + 23)", "r0 <<= 8", "r0 |= r5",
                "*(u8 *)(r2 + 22) = 9", // rewrite ttl
                "exit", "drop:", "r0 = 2", "exit");
        same(ProgramType.SCHED_CLS, tc, tcpFrame(), null, SkbContext.tc(tcpFrame()));
        String legacy = String.join("\n", "r6 = r1", "r0 = *(u16 *)skb[22]", "r7 = r0", "r1 = 9",
                "r0 = *(u8 *)skb[r1 + 0]", "r7 <<= 8", "r7 |= r0", "r0 = *(u32 *)skb[1000]", "r0 = r7", "exit");
        same(ProgramType.SOCKET_FILTER, legacy.replace("r0 = *(u32 *)skb[1000]\n", ""), tcpFrame(), null,
                SkbContext.socketFilter(tcpFrame()));
        // an out-of-packet legacy load ends the program with 0
        same(ProgramType.SOCKET_FILTER, legacy, tcpFrame(), null, SkbContext.socketFilter(tcpFrame()));
    }

    @Test
    void skbHelpersRewriteThePacketAndChecksums() {
        // rewrite the IPv4 destination 10.0.0.2 -> 10.0.0.9 with skb_store_bytes and fix both checksums
        String prog = String.join("\n",
                "r6 = r1",
                "r2 = 30", "r3 = r10", "r3 += -4", "r4 = 4", "r1 = r6", "call bpf_skb_load_bytes",
                "r7 = *(u32 *)(r10 - 4)", // old address as stored
                "*(u32 *)(r10 - 8) = 0x0900000a", "r1 = r6", "r2 = 30", "r3 = r10", "r3 += -8", "r4 = 4", "r5 = 0",
                "call bpf_skb_store_bytes",
                "r1 = r6", "r2 = 24", "r3 = r7", "r4 = 0x0900000a", "r5 = 4", "call bpf_l3_csum_replace",
                "r1 = r6", "r2 = 50", "r3 = r7", "r4 = 0x0900000a", "r5 = 0x14", "call bpf_l4_csum_replace",
                "r1 = r10", "r1 += -4", "r2 = 4", "r3 = r10", "r3 += -8", "r4 = 4", "r5 = 0", "call bpf_csum_diff",
                "r8 = r0",
                "r1 = r6", "r2 = 5000", "r3 = r10", "r3 += -4", "r4 = 4", "call bpf_skb_load_bytes",
                "r0 <<= 32", "r0 |= r8", "r0 ^= 0x55", "exit");
        same(ProgramType.SCHED_CLS, prog, tcpFrame(), null, SkbContext.tc(tcpFrame()));
    }

    @Test
    void xdpFieldsAndAdjustments() {
        String prog = String.join("\n",
                "r6 = r1",
                "r2 = *(u32 *)(r6 + 0)", "r3 = *(u32 *)(r6 + 4)", "r3 -= r2",
                "r4 = *(u32 *)(r6 + 12)", "r5 = *(u32 *)(r6 + 16)",
                "*(u64 *)(r10 - 8) = r3", "*(u64 *)(r10 - 16) = r4",
                "r1 = r6", "r2 = -14", "call bpf_xdp_adjust_head", "r7 = r0",
                "r1 = r6", "r2 = 10", "call bpf_xdp_adjust_tail", "r7 <<= 8", "r7 |= r0",
                "r1 = r6", "r2 = -8", "call bpf_xdp_adjust_meta", "r7 <<= 8", "r7 |= r0",
                "r1 = r6", "r2 = -4000", "call bpf_xdp_adjust_head", "r7 <<= 8", "r7 |= r0",
                "r1 = r6", "r2 = 5000", "call bpf_xdp_adjust_tail", "r7 <<= 8", "r7 |= r0",
                "r2 = *(u32 *)(r6 + 8)", "r3 = *(u32 *)(r6 + 0)", "r4 = r2", "r4 += 8", "if r4 > r3 goto out",
                "*(u64 *)(r2 + 0) = r7",
                "r4 = r3", "r4 += 14", "r5 = *(u32 *)(r6 + 4)", "if r4 > r5 goto out",
                "*(u32 *)(r3 + 0) = 0x11223344", "*(u16 *)(r3 + 4) = 0x5566",
                "r8 = *(u64 *)(r10 - 8)", "*(u8 *)(r3 + 6) = r8",
                "out:", "r0 = r7", "r0 &= 0xffff", "r0 += 2",
                "r5 = *(u64 *)(r10 - 16)", "r5 <<= 20", "r0 += r5", "exit");
        same(ProgramType.XDP, prog, tcpFrame(), null, XdpContext.of(tcpFrame()));
    }
}
