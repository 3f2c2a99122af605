package io.jbpf.test.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.lb.Algorithm;
import io.jbpf.core.dsl.lb.LbMaps;
import io.jbpf.core.dsl.lb.LbPrograms;
import io.jbpf.core.dsl.lb.LoadBalancer;
import io.jbpf.core.dsl.lb.Maglev;
import io.jbpf.core.dsl.lb.ServiceKey;
import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.FlowHash;
import io.jbpf.core.dsl.nat.FlowKey;
import io.jbpf.core.dsl.nat.Ipv4;
import io.jbpf.core.dsl.nat.Protocol;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.TcpFlag;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import io.jbpf.core.dsl.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The load balancer's TC programs: the kernel verifier accepts them, and the kernel and the VM give
 * the same verdicts, packets and map contents on the same packets; rewritten packets carry correct
 * checksums (checked from scratch), go to the backend the Maglev table predicts, and replies get the
 * VIP back.
 */
@KernelTest
class LbProgramsTest {
    private static final LbMaps SIZES = new LbMaps(4, 8, 1021, 1024);
    private static final String CLIENT_MAC = "02:00:00:00:00:01";
    private static final String LB_MAC = "02:00:00:00:00:02";
    private static final ServiceKey WEB = new ServiceKey(Endpoint.of("10.99.0.100", 80), Protocol.TCP);
    private static final ServiceKey DNS = new ServiceKey(Endpoint.of("10.99.0.101", 53), Protocol.UDP);
    private static final ServiceKey ONE = new ServiceKey(Endpoint.of("10.99.0.102", 8080), Protocol.TCP);
    private static final List<Endpoint> WEB_BACKENDS = List.of(Endpoint.of("10.98.0.1", 8000),
            Endpoint.of("10.98.0.2", 8001), Endpoint.of("10.98.0.3", 8002));
    private static final List<Endpoint> DNS_BACKENDS = List.of(Endpoint.of("10.98.1.1", 5353),
            Endpoint.of("10.98.1.2", 5353));
    private static final List<Endpoint> ONE_BACKEND = List.of(Endpoint.of("10.98.2.1", 9090));

    private static byte[] tcp(String src, int sport, String dst, int dport, TcpFlag... flags) {
        return Packet.ether(CLIENT_MAC, LB_MAC).ipv4(src, dst).tcp(sport, dport).flags(flags).seq(1000)
                .payload("hello".getBytes()).bytes();
    }

    private static byte[] udp(String src, int sport, String dst, int dport) {
        return Packet.ether(CLIENT_MAC, LB_MAC).ipv4(src, dst).udp(sport, dport).payload(new byte[] {1, 2, 3}).bytes();
    }

    private static Endpoint destination(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return new Endpoint(b.getInt(30), b.getShort(36) & 0xffff);
    }

    private static Endpoint source(byte[] f) {
        ByteBuffer b = ByteBuffer.wrap(f);
        return new Endpoint(b.getInt(26), b.getShort(34) & 0xffff);
    }

    /** Runs the packet in the kernel and every VM engine; they must agree; returns the kernel's. */
    private static TwoWorlds.Outcome same(TwoWorlds w, String prog, byte[] packet) {
        TwoWorlds.Outcome k = w.kernel(prog, packet);
        for (Engine e : Engine.values()) {
            assertThat(w.vm(e, prog, packet)).as("%s on %s", prog, e).isEqualTo(k);
        }
        return k;
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_INGRESS", "XDP"})
    void kernelAndVmAgreeAndPacketsAreTranslated(Target target) {
        LbPrograms progs = new LbPrograms(SIZES, target);
        try (TwoWorlds w = new TwoWorlds(SIZES.specs())) {
            for (var maps : w.allMapSets()) {
                LoadBalancer lb = new LoadBalancer(SIZES, maps);
                lb.setService(WEB, Algorithm.MAGLEV, WEB_BACKENDS);
                lb.setService(DNS, Algorithm.HASH, DNS_BACKENDS);
                lb.setService(ONE, Algorithm.RANDOM, ONE_BACKEND);
            }
            w.load(progs.ingress());
            w.load(progs.reply());
            Maglev web = Maglev.build(WEB_BACKENDS.stream().map(e -> Maglev.Backend.of(e.toString())).toList(), 1021);

            Random rnd = new Random(7);
            int[] perBackend = new int[3];
            List<byte[]> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String client = "10.97.0." + (1 + rnd.nextInt(200));
                int port = 1024 + rnd.nextInt(60000);
                byte[] syn = tcp(client, port, "10.99.0.100", 80, TcpFlag.SYN);
                TwoWorlds.Outcome out = same(w, "lb_ingress", syn);
                assertThat(out.verdict()).isEqualTo(target.passVerdict());
                byte[] rewritten = HexFormat.of().parseHex(out.packet());
                assertThat(Checksums.problem(rewritten)).as("checksums of the rewritten SYN").isNull();
                FlowKey flow = new FlowKey(new Endpoint(Ipv4.parse(client), port), WEB.vip(), Protocol.TCP);
                Endpoint expected = WEB_BACKENDS.get(web.slot(Integer.remainderUnsigned(FlowHash.of(flow), 1021)));
                assertThat(destination(rewritten)).as("backend of %s", flow).isEqualTo(expected);
                assertThat(source(rewritten)).isEqualTo(flow.source());
                perBackend[WEB_BACKENDS.indexOf(expected)]++;
                // the second packet of the flow goes the same way (affinity)
                byte[] ack = tcp(client, port, "10.99.0.100", 80, TcpFlag.ACK);
                assertThat(destination(HexFormat.of().parseHex(same(w, "lb_ingress", ack).packet()))).isEqualTo(expected);
                // the reply from the backend gets the VIP back
                byte[] reply = Packet.ether(LB_MAC, CLIENT_MAC).ipv4(Ipv4.format(expected.address()), client)
                        .tcp(expected.port(), port).flags(TcpFlag.SYN, TcpFlag.ACK).seq(5).ack(1001).bytes();
                replies.add(reply);
            }
            assertThat(java.util.stream.IntStream.of(perBackend).min().getAsInt()).as("fewest flows on a backend").isPositive();
            for (byte[] reply : replies) {
                TwoWorlds.Outcome out = same(w, "lb_reply", reply);
                byte[] back = HexFormat.of().parseHex(out.packet());
                assertThat(source(back)).isEqualTo(WEB.vip());
                assertThat(destination(back)).isEqualTo(destination(reply));
                assertThat(Checksums.problem(back)).as("checksums of the reverse-translated reply").isNull();
            }
            // UDP by hash, TCP by random choice among one, and packets that must pass untouched
            for (int i = 0; i < 10; i++) {
                byte[] q = udp("10.97.1." + (i + 1), 40000 + i, "10.99.0.101", 53);
                byte[] out = HexFormat.of().parseHex(same(w, "lb_ingress", q).packet());
                assertThat(DNS_BACKENDS).contains(destination(out));
                assertThat(Checksums.problem(out)).isNull();
            }
            byte[] one = HexFormat.of().parseHex(same(w, "lb_ingress", tcp("10.97.2.1", 5555, "10.99.0.102", 8080,
                    TcpFlag.SYN)).packet());
            assertThat(destination(one)).isEqualTo(ONE_BACKEND.get(0));
            List<byte[]> untouched = List.of(
                    tcp("10.97.0.1", 1234, "10.99.0.100", 81, TcpFlag.SYN),       // no such service port
                    udp("10.97.0.1", 1234, "10.99.0.100", 80),                    // wrong protocol
                    Packet.ether(CLIENT_MAC, LB_MAC).ipv4("10.97.0.1", "10.99.0.100").icmpEchoRequest(1, 1).bytes(),
                    Packet.ether(CLIENT_MAC, LB_MAC).ipv4("10.97.0.1", "10.99.0.100").moreFragments().tcp(1, 80).bytes(),
                    Packet.ether(CLIENT_MAC, LB_MAC).ipv6("fd00::1", "fd00::2").tcp(1, 80).bytes(),
                    Packet.ether(CLIENT_MAC, LB_MAC).ipv4("10.97.0.1", "10.99.0.100").tcp(1, 80).bytes().clone());
            for (byte[] p : untouched.subList(0, 5)) {
                TwoWorlds.Outcome out = same(w, "lb_ingress", p);
                assertThat(out.verdict()).isEqualTo(target.passVerdict());
                assertThat(out.packet()).isEqualTo(HexFormat.of().formatHex(p));
            }
            byte[] truncated = java.util.Arrays.copyOf(untouched.get(5), 36);
            assertThat(same(w, "lb_ingress", truncated).packet()).isEqualTo(HexFormat.of().formatHex(truncated));

            for (MapSpec s : SIZES.specs()) {
                var kernel = TwoWorlds.entries(w.kernelMaps.get(s.name()));
                for (Engine e : Engine.values()) {
                    assertThat(TwoWorlds.entries(w.vmMaps.get(e).get(s.name()))).as("map %s on %s", s.name(), e)
                            .isEqualTo(kernel);
                }
            }
            assertThat(TwoWorlds.entries(w.kernelMaps.get(LbMaps.AFFINITY))).hasSize(40 + 10 + 1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_INGRESS", "XDP"})
    void aFlowKeepsItsBackendWhenAnotherIsRemoved(Target target) {
        LbPrograms progs = new LbPrograms(SIZES, target);
        try (TwoWorlds w = new TwoWorlds(SIZES.specs())) {
            List<LoadBalancer> lbs = new ArrayList<>();
            for (var maps : w.allMapSets()) {
                LoadBalancer lb = new LoadBalancer(SIZES, maps);
                lb.setService(WEB, Algorithm.MAGLEV, WEB_BACKENDS);
                lbs.add(lb);
            }
            w.load(progs.ingress());
            Map<Integer, Endpoint> before = new java.util.HashMap<>();
            for (int port = 2000; port < 2060; port++) {
                before.put(port, destination(HexFormat.of().parseHex(
                        same(w, "lb_ingress", tcp("10.97.3.3", port, "10.99.0.100", 80, TcpFlag.SYN)).packet())));
            }
            Endpoint removed = WEB_BACKENDS.get(1);
            for (LoadBalancer lb : lbs) {
                lb.setService(WEB, Algorithm.MAGLEV, List.of(WEB_BACKENDS.get(0), WEB_BACKENDS.get(2)));
            }
            for (int port = 2000; port < 2060; port++) {
                Endpoint now = destination(HexFormat.of().parseHex(
                        same(w, "lb_ingress", tcp("10.97.3.3", port, "10.99.0.100", 80, TcpFlag.ACK)).packet()));
                if (before.get(port).equals(removed)) {
                    assertThat(now).isNotEqualTo(removed);
                } else {
                    assertThat(now).as("flow from port %d", port).isEqualTo(before.get(port));
                }
            }
            assertThat(before.values()).contains(removed);
        }
    }

    /**
     * Random choice: the kernel's and the VM's random numbers differ, so each is checked alone — all
     * three backends get new flows, and every later packet of a flow keeps its backend.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"TC_INGRESS", "XDP"})
    void randomChoiceSpreadsAndAffinityHolds(Target target) {
        ServiceKey rnd = new ServiceKey(Endpoint.of("10.99.0.103", 80), Protocol.TCP);
        try (TwoWorlds w = new TwoWorlds(SIZES.specs())) {
            for (var maps : w.allMapSets()) {
                new LoadBalancer(SIZES, maps).setService(rnd, Algorithm.RANDOM, WEB_BACKENDS);
            }
            w.load(new LbPrograms(SIZES, target).ingress());
            for (Engine e : new Engine[] {null, Engine.INTERPRETER, Engine.JIT}) {
                java.util.Set<Endpoint> used = new java.util.HashSet<>();
                for (int port = 100; port < 160; port++) {
                    byte[] syn = tcp("10.97.9.9", port, "10.99.0.103", 80, TcpFlag.SYN);
                    TwoWorlds.Outcome first = e == null ? w.kernel("lb_ingress", syn) : w.vm(e, "lb_ingress", syn);
                    Endpoint chosen = destination(HexFormat.of().parseHex(first.packet()));
                    assertThat(WEB_BACKENDS).contains(chosen);
                    used.add(chosen);
                    for (int again = 0; again < 3; again++) {
                        TwoWorlds.Outcome next = e == null ? w.kernel("lb_ingress", syn) : w.vm(e, "lb_ingress", syn);
                        assertThat(destination(HexFormat.of().parseHex(next.packet()))).isEqualTo(chosen);
                    }
                }
                assertThat(used).as("backends chosen at random on %s", e == null ? "the kernel" : e).hasSize(3);
            }
        }
    }
}
