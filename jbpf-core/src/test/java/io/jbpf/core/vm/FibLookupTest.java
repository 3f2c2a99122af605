package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.AsmParser;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** bpf_fib_lookup (helper 69) in the VM over a FibTable the test supplies. */
class FibLookupTest {
    static final FibTable FIB = FibTable.builder()
            .device(2, "02:00:00:00:00:02", 1500).address(2, "10.0.1.254").address(2, "fd00:1::fe")
            .device(3, "02:00:00:00:00:03", 1400).address(3, "10.0.2.254")
            .device(new FibTable.Device(4, new byte[] {2, 0, 0, 0, 0, 4}, 1500, false, java.util.List.of()))
            .route(FibTable.Route.unicast("10.0.1.0/24", 2, null).withPreferredSource("10.0.1.254"))
            .route("10.0.2.0/24", 3)
            .route("10.1.0.0/16", 2, "10.0.1.1")
            .route(FibTable.Route.unicast("10.1.2.0/24", 3, "10.0.2.1").withMetric(5))
            .route(FibTable.Route.unicast("10.1.2.0/24", 2, "10.0.1.1").withMetric(9))
            .route(FibTable.Route.unicast("10.5.0.0/16", 3, "10.0.2.1").withMtu(1280))
            .route(FibTable.Route.unicast("10.6.0.0/16", 2, "10.0.1.1").asTunnel())
            .route(FibTable.Route.unicast("10.3.0.0/16", 3, null).inTable(100))
            .route("fd00:1::/64", 2)
            .route("fd00:9::/48", 2, "fd00:1::1")
            .blackhole("10.9.0.0/16").unreachable("10.8.0.0/16").prohibit("10.7.0.0/16")
            .neighbor(2, "10.0.1.1", "02:00:00:00:01:01")
            .neighbor(2, "fd00:1::1", "02:00:00:00:01:06")
            .build();

    record Out(long r0, byte[] params) {
        ByteBuffer b() {
            return ByteBuffer.wrap(params).order(ByteOrder.LITTLE_ENDIAN);
        }

        int ifindex() {
            return b().getInt(8);
        }

        int mtu() {
            return b().getShort(6) & 0xffff;
        }

        String hex(int from, int to) {
            return HexFormat.of().formatHex(params, from, to);
        }
    }

    static Out xdp(byte[] params, int flags) {
        return xdp(params, flags, 64);
    }

    static Out xdp(byte[] params, int flags, int plen) {
        Vm vm = Vm.builder().fibTable(FIB).build();
        RunResult r = vm.load("fib", AsmParser.parse(FibPrograms.program(0, 4, plen, flags)), Map.of())
                .run(XdpContext.of(params));
        return new Out(r.returnValue(), r.data());
    }

    @Test
    void forwardsViaAGatewayWithItsNeighbour() {
        Out o = xdp(FibPrograms.params("10.0.1.9", "10.1.7.7", 2, 0, 0), 0);
        assertThat(o.r0()).isZero();
        assertThat(o.ifindex()).isEqualTo(2);
        assertThat(o.hex(32, 36)).as("dst becomes the gateway").isEqualTo("0a000101");
        assertThat(o.hex(52, 58)).as("smac").isEqualTo("020000000002");
        assertThat(o.hex(58, 64)).as("dmac").isEqualTo("020000000101");
        assertThat(o.mtu()).as("mtu_result on XDP").isEqualTo(1500);
        assertThat(o.hex(48, 52)).as("vlan cleared").isEqualTo("00000000");
    }

    @Test
    void longestPrefixThenLowestMetric() {
        Out o = xdp(FibPrograms.params("10.0.1.9", "10.1.2.3", 2, 0, 0), 4); // SKIP_NEIGH
        assertThat(o.r0()).isZero();
        assertThat(o.ifindex()).isEqualTo(3);
        assertThat(o.b().getInt(12)).as("rt_metric").isEqualTo(5);
        assertThat(o.hex(32, 36)).isEqualTo("0a000201");
        assertThat(o.hex(52, 64)).as("no MACs with SKIP_NEIGH").isEqualTo("000000000000000000000000");
    }

    @Test
    void returnCodes() {
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.9.1.1", 2, 0, 0), 0).r0()).as("blackhole").isEqualTo(1);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.8.1.1", 2, 0, 0), 0).r0()).as("unreachable").isEqualTo(2);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.7.1.1", 2, 0, 0), 0).r0()).as("prohibit").isEqualTo(3);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "192.0.2.1", 2, 0, 0), 0).r0()).as("no route").isEqualTo(4);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.1.1.1", 4, 0, 0), 0).r0()).as("forwarding off").isEqualTo(5);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.6.1.1", 2, 0, 0), 0).r0()).as("lwt").isEqualTo(6);
        Out noNeigh = xdp(FibPrograms.params("10.0.1.9", "10.0.2.77", 2, 0, 0), 0);
        assertThat(noNeigh.r0()).as("no neighbour").isEqualTo(7);
        assertThat(noNeigh.ifindex()).as("the egress device is written even so").isEqualTo(3);
        Out frag = xdp(FibPrograms.params("10.0.1.9", "10.5.1.1", 2, 1300, 0), 0);
        assertThat(frag.r0()).as("fragmentation needed").isEqualTo(8);
        assertThat(frag.mtu()).as("the route's MTU").isEqualTo(1280);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.0.1.1", 9, 0, 0), 0).r0()).as("no such device").isEqualTo(-19);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.0.1.1", 2, 0, 0), 64).r0()).as("unknown flag").isEqualTo(-22);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.0.1.1", 2, 0, 0), 0, 60).r0()).as("short plen").isEqualTo(-22);
        byte[] bad = FibPrograms.params("10.0.1.9", "10.0.1.1", 2, 0, 0);
        bad[0] = 7;
        assertThat(xdp(bad, 0).r0()).as("family").isEqualTo(-97);
    }

    @Test
    void tablesAndSources() {
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.3.1.1", 2, 0, 100), 8 | 4).r0())
                .as("not in main, and TBID needs DIRECT").isEqualTo(4);
        Out t = xdp(FibPrograms.params("10.0.1.9", "10.3.1.1", 2, 0, 100), 1 | 8 | 4); // DIRECT|TBID|SKIP_NEIGH
        assertThat(t.r0()).isZero();
        assertThat(t.ifindex()).isEqualTo(3);
        assertThat(xdp(FibPrograms.params("10.0.1.9", "10.3.1.1", 2, 0, 77), 1 | 8).r0()).as("no table 77").isEqualTo(4);
        Out src = xdp(FibPrograms.params("0.0.0.0", "10.0.2.5", 2, 0, 0), 16 | 4); // SRC|SKIP_NEIGH
        assertThat(src.r0()).isZero();
        assertThat(src.hex(16, 20)).isEqualTo("0a0002fe");
        Out pref = xdp(FibPrograms.params("0.0.0.0", "10.0.1.5", 2, 0, 0), 16 | 4);
        assertThat(pref.hex(16, 20)).isEqualTo("0a0001fe");
    }

    @Test
    void ipv6() {
        Out o = xdp(FibPrograms.params("fd00:1::9", "fd00:9::5", 2, 0, 0), 16);
        assertThat(o.r0()).isZero();
        assertThat(o.hex(32, 48)).isEqualTo("fd000001000000000000000000000001");
        assertThat(o.hex(16, 32)).isEqualTo("fd0000010000000000000000000000fe");
        assertThat(o.hex(58, 64)).isEqualTo("020000000106");
        assertThat(xdp(FibPrograms.params("fe80::1", "fd00:9::5", 2, 0, 0), 0).r0()).as("link-local source").isEqualTo(4);
        assertThat(xdp(FibPrograms.params("fd00:1::9", "fd00:2::5", 2, 0, 0), 0).r0()).isEqualTo(4);
    }

    @Test
    void tcChecksTheFrameAgainstTheMtuUnlessGivenTotLen() {
        Vm vm = Vm.builder().fibTable(FIB).build();
        VmProgram p = vm.load("fib", AsmParser.parse(FibPrograms.program(76, 80, 64, 4)), Map.of());
        byte[] small = FibPrograms.params("10.0.1.9", "10.0.2.5", 2, 0, 0);
        RunResult ok = p.run(SkbContext.tc(small));
        assertThat(ok.returnValue()).isZero();
        assertThat(ByteBuffer.wrap(ok.data()).order(ByteOrder.LITTLE_ENDIAN).getShort(6)).isEqualTo((short) 1400);
        byte[] big = java.util.Arrays.copyOf(small, 1400 + 14 + 4 + 1);
        assertThat(p.run(SkbContext.tc(big)).returnValue()).isEqualTo(8);
        assertThat(p.run(SkbContext.tc(java.util.Arrays.copyOf(small, 1418))).returnValue()).isZero();
    }

    @Test
    void withoutATableEveryDeviceIsUnknownAndTheContextIsChecked() {
        RunResult r = Vm.create().load("fib", AsmParser.parse(FibPrograms.program(0, 4, 64, 0)), Map.of())
                .run(XdpContext.of(FibPrograms.params("10.0.1.9", "10.1.7.7", 2, 0, 0)));
        assertThat(r.returnValue()).isEqualTo(-19);
        String wrongCtx = "r1 = r10\nr1 += -64\nr2 = r10\nr2 += -64\n*(u64 *)(r10 - 64) = 0\nr3 = 64\nr4 = 0\n"
                + "call bpf_fib_lookup\nexit";
        assertThatThrownBy(() -> Vm.create().load("fib", AsmParser.parse(wrongCtx), Map.of())
                .run(XdpContext.of(new byte[64]))).isInstanceOf(VmException.class);
    }
}
