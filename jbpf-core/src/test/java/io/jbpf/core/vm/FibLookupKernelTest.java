package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.Shell;
import java.net.InetAddress;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bpf_fib_lookup in the VM against the kernel's: a namespace this test creates ({@code jbpf-fib-<pid>},
 * removed even on failure) gets devices, addresses, routes and neighbours; the VM gets the same
 * as a {@link FibTable}; the same lookups under BPF_PROG_TEST_RUN (run inside the namespace) and
 * in the VM give the same return code and the same struct bpf_fib_lookup afterwards.
 */
@KernelTest
class FibLookupKernelTest {
    static final String NS = "jbpf-fib-" + ProcessHandle.current().pid();

    static void ip(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = NS;
        System.arraycopy(args, 0, cmd, 3, args.length);
        Shell.check(cmd);
    }

    record Query(String what, String src, String dst, String dev, int totLen, int tbid, int flags) {}

    @Test
    void lookupsAgreeWithTheKernelsFib() throws Exception {
        Shell.run("ip", "netns", "del", NS);
        Shell.check("ip", "netns", "add", NS);
        try {
            ip("link", "set", "lo", "up");
            String[][] devs = {{"jbpf-f1", "02:00:00:00:00:02", "1500"}, {"jbpf-f2", "02:00:00:00:00:03", "1400"},
                {"jbpf-f3", "02:00:00:00:00:04", "1500"}};
            for (String[] d : devs) {
                ip("link", "add", d[0], "address", d[1], "mtu", d[2], "type", "veth", "peer", "name", d[0] + "p");
                ip("link", "set", d[0], "up");
                ip("link", "set", d[0] + "p", "up");
            }
            ip("addr", "add", "10.0.1.254/24", "dev", "jbpf-f1");
            ip("addr", "add", "fd00:1::fe/64", "dev", "jbpf-f1", "nodad");
            ip("addr", "add", "10.0.2.254/24", "dev", "jbpf-f2");
            ip("addr", "add", "10.0.3.254/24", "dev", "jbpf-f3");
            ip("route", "add", "10.1.0.0/16", "via", "10.0.1.1", "dev", "jbpf-f1");
            ip("route", "add", "10.1.2.0/24", "via", "10.0.2.1", "dev", "jbpf-f2", "metric", "5");
            ip("route", "add", "10.1.2.0/24", "via", "10.0.1.1", "dev", "jbpf-f1", "metric", "9");
            ip("route", "add", "10.5.0.0/16", "via", "10.0.2.1", "dev", "jbpf-f2", "mtu", "lock", "1280");
            ip("route", "add", "10.3.0.0/16", "dev", "jbpf-f2", "table", "100");
            ip("route", "add", "blackhole", "10.9.0.0/16");
            ip("route", "add", "unreachable", "10.8.0.0/16");
            ip("route", "add", "prohibit", "10.7.0.0/16");
            ip("-6", "route", "add", "fd00:9::/48", "via", "fd00:1::1", "dev", "jbpf-f1");
            ip("neigh", "add", "10.0.1.1", "lladdr", "02:00:00:00:01:01", "dev", "jbpf-f1", "nud", "permanent");
            ip("-6", "neigh", "add", "fd00:1::1", "lladdr", "02:00:00:00:01:06", "dev", "jbpf-f1", "nud", "permanent");
            Shell.check("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv4.conf.all.forwarding=1",
                    "net.ipv6.conf.all.forwarding=1");
            Shell.check("ip", "netns", "exec", NS, "sysctl", "-qw", "net.ipv4.conf.jbpf-f3.forwarding=0",
                    "net.ipv6.conf.jbpf-f3.forwarding=0");
            try (NetNamespace ns = NetNamespace.open(NS)) {
                int f1 = ns.ifindex("jbpf-f1");
                int f2 = ns.ifindex("jbpf-f2");
                int f3 = ns.ifindex("jbpf-f3");
                FibTable fib = FibTable.builder()
                        .device(f1, "02:00:00:00:00:02", 1500).address(f1, "10.0.1.254").address(f1, "fd00:1::fe")
                        .device(f2, "02:00:00:00:00:03", 1400).address(f2, "10.0.2.254")
                        .device(new FibTable.Device(f3, HexFormat.ofDelimiter(":").parseHex("02:00:00:00:00:04"), 1500,
                                false, List.of(InetAddress.getByName("10.0.3.254"))))
                        .route(FibTable.Route.unicast("10.0.1.0/24", f1, null).withPreferredSource("10.0.1.254"))
                        .route(FibTable.Route.unicast("10.0.2.0/24", f2, null).withPreferredSource("10.0.2.254"))
                        .route(FibTable.Route.unicast("10.0.3.0/24", f3, null).withPreferredSource("10.0.3.254"))
                        .route(new FibTable.Route(InetAddress.getByName("10.0.1.254"), 32, FibTable.RouteType.LOCAL, f1,
                                null, null, 0, 0, FibTable.TABLE_LOCAL, false))
                        .route("10.1.0.0/16", f1, "10.0.1.1")
                        .route(FibTable.Route.unicast("10.1.2.0/24", f2, "10.0.2.1").withMetric(5))
                        .route(FibTable.Route.unicast("10.1.2.0/24", f1, "10.0.1.1").withMetric(9))
                        .route(FibTable.Route.unicast("10.5.0.0/16", f2, "10.0.2.1").withMtu(1280))
                        .route(FibTable.Route.unicast("10.3.0.0/16", f2, null).inTable(100))
                        .blackhole("10.9.0.0/16").unreachable("10.8.0.0/16").prohibit("10.7.0.0/16")
                        .route(FibTable.Route.unicast("fd00:1::/64", f1, null).withMetric(256))
                        .route(FibTable.Route.unicast("fd00:9::/48", f1, "fd00:1::1").withMetric(1024))
                        .neighbor(f1, "10.0.1.1", "02:00:00:00:01:01")
                        .neighbor(f1, "fd00:1::1", "02:00:00:00:01:06")
                        .build();
                Map<String, Integer> ifs = Map.of("f1", f1, "f2", f2, "f3", f3, "none", 999);
                List<Query> queries = List.of(
                        new Query("via a gateway with a neighbour", "10.0.1.9", "10.1.7.7", "f1", 0, 0, 0),
                        new Query("longest prefix, lowest metric", "10.0.1.9", "10.1.2.3", "f1", 0, 0, 4),
                        new Query("no neighbour", "10.0.1.9", "10.0.2.77", "f1", 0, 0, 0),
                        new Query("skip neigh on link", "10.0.1.9", "10.0.2.77", "f1", 0, 0, 4),
                        new Query("blackhole", "10.0.1.9", "10.9.1.1", "f1", 0, 0, 0),
                        new Query("unreachable", "10.0.1.9", "10.8.1.1", "f1", 0, 0, 0),
                        new Query("prohibit", "10.0.1.9", "10.7.1.1", "f1", 0, 0, 0),
                        new Query("no route", "10.0.1.9", "192.0.2.1", "f1", 0, 0, 0),
                        new Query("local address", "10.0.1.9", "10.0.1.254", "f1", 0, 0, 0),
                        new Query("forwarding off", "10.0.3.9", "10.1.7.7", "f3", 0, 0, 0),
                        new Query("no such device", "10.0.1.9", "10.1.7.7", "none", 0, 0, 0),
                        new Query("fits the MTU", "10.0.1.9", "10.1.7.7", "f1", 1500, 0, 0),
                        new Query("too big for the route", "10.0.1.9", "10.5.1.1", "f1", 1300, 0, 4),
                        new Query("too big for the device", "10.0.1.9", "10.0.2.5", "f1", 1401, 0, 4),
                        new Query("table 100 direct", "10.0.1.9", "10.3.1.1", "f1", 0, 100, 1 | 8 | 4),
                        new Query("table 100 without DIRECT", "10.0.1.9", "10.3.1.1", "f1", 0, 100, 8 | 4),
                        new Query("no table 77", "10.0.1.9", "10.3.1.1", "f1", 0, 77, 1 | 8 | 4),
                        new Query("direct main", "10.0.1.9", "10.1.7.7", "f1", 0, 0, 1),
                        new Query("source of a connected route", "0.0.0.0", "10.0.2.5", "f1", 0, 0, 16 | 4),
                        new Query("source via a gateway", "0.0.0.0", "10.1.7.7", "f1", 0, 0, 16),
                        new Query("ipv6 via a gateway", "fd00:1::9", "fd00:9::5", "f1", 0, 0, 16),
                        new Query("ipv6 link-local source", "fe80::1", "fd00:9::5", "f1", 0, 0, 0),
                        new Query("ipv6 no route", "fd00:1::9", "fd00:2::5", "f1", 0, 0, 0),
                        new Query("ipv6 too big", "fd00:1::9", "fd00:9::5", "f1", 1501, 0, 4));
                int compared = 0;
                for (Query q : queries) {
                    byte[] params = FibPrograms.params(q.src(), q.dst(), ifs.get(q.dev()), q.totLen(), q.tbid());
                    // XDP, then TC with a 64-byte frame, then TC with a 1500-byte frame (the MTU check of the frame)
                    for (int variant = 0; variant < 3; variant++) {
                        boolean tc = variant > 0;
                        byte[] frame = variant == 2 ? java.util.Arrays.copyOf(params, 1500) : params;
                        List<Insn> insns = AsmParser.parse(tc ? FibPrograms.program(76, 80, 64, q.flags())
                                : FibPrograms.program(0, 4, 64, q.flags()));
                        SkbContext skb = SkbContext.tc(frame);
                        TestRunResult k = ns.run(() -> {
                            ProgramSpec spec = ProgramSpec.builder("jbpf_fib", tc ? ProgramType.SCHED_CLS : ProgramType.XDP)
                                    .instructions(insns).license("GPL").build();
                            try (Program p = Program.load(spec, Map.of())) {
                                TestRun run = TestRun.withData(frame).dataOutSize(4096);
                                return p.testRun(tc ? run.context(VmContextDifferentialTest.kernelContext(skb)) : run);
                            }
                        });
                        RunResult v = Vm.builder().fibTable(fib).build().load("fib", insns, Map.of())
                                .run(tc ? skb : XdpContext.of(frame));
                        String what = q.what() + (tc ? " (TC, " + frame.length + "-byte frame)" : " (XDP)");
                        assertThat(v.verdict()).as("%s: return code", what).isEqualTo(k.returnValue());
                        assertThat(HexFormat.of().formatHex(v.data())).as("%s: packet and struct bpf_fib_lookup after", what)
                                .isEqualTo(HexFormat.of().formatHex(k.data()));
                        compared++;
                    }
                }
                System.out.println("[FibLookupKernelTest] lookups compared with the kernel: " + compared);
                assertThat(compared).isEqualTo(3 * queries.size());
            }
        } finally {
            Shell.run("ip", "netns", "del", NS);
        }
    }
}
