package io.jbpf.loader;

import static io.jbpf.core.dsl.Dsl.cidrs;
import static io.jbpf.core.dsl.Dsl.drop;
import static io.jbpf.core.dsl.Dsl.ipv4;
import static io.jbpf.core.dsl.Dsl.ipv6;
import static io.jbpf.core.dsl.Dsl.pass;
import static io.jbpf.core.dsl.Dsl.tcp;
import static io.jbpf.core.dsl.Dsl.udp;
import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.testing.LlvmToolchain;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DSL filters of DslFilterBenchmark against their C twins in native/bench built by clang:
 * both give the same verdict on the benchmark's packets and on variations of them (VLAN tags,
 * IPv4 options and fragments, IPv6 extension headers, other protocols, truncation), so the
 * benchmark compares like with like; and on the benchmark's matching and missing packets the
 * DSL's code executes no more instructions than clang's (counted in the VM).
 */
class DslAgainstClangTest {
    static final Path BENCH = Path.of("..", "native", "bench").toAbsolutePath().normalize();
    private static final HexFormat HEX = HexFormat.of();

    static ProgramSpec clang(Path dir, String name) throws IOException {
        Path o = LlvmToolchain.require().compileBpf(BENCH.resolve(name + ".bpf.c"), dir);
        return ObjectSpec.open(Files.readAllBytes(o)).programs().get(name);
    }

    static byte[] tcp4(int firstByte, int port) {
        byte[] p = new byte[64];
        p[0] = 2;
        p[6] = 2;
        p[12] = 0x08;
        p[14] = 0x45;
        p[17] = 50;
        p[22] = 64;
        p[23] = 6;
        p[26] = (byte) firstByte;
        p[27] = 1;
        p[30] = (byte) 192;
        p[36] = (byte) (port >> 8);
        p[37] = (byte) port;
        p[46] = 0x50;
        return p;
    }

    static byte[] udp6(int first, int port) {
        byte[] p = new byte[72];
        p[0] = 2;
        p[6] = 2;
        p[12] = (byte) 0x86;
        p[13] = (byte) 0xdd;
        p[14] = 0x60;
        p[19] = 18;
        p[20] = 17;
        p[21] = 64;
        p[38] = (byte) (first >> 8);
        p[39] = (byte) first;
        p[40] = 0x0d;
        p[41] = (byte) 0xb8;
        p[56] = (byte) (port >> 8);
        p[57] = (byte) port;
        return p;
    }

    /** Variations of a frame: tagged once and twice, cut short, bytes of its headers changed. */
    static List<byte[]> variations(byte[] base, Random r) {
        List<byte[]> out = new ArrayList<>();
        out.add(base);
        for (int tags = 1; tags <= 3; tags++) {
            byte[] t = new byte[base.length + 4 * tags];
            System.arraycopy(base, 0, t, 0, 12);
            for (int i = 0; i < tags; i++) {
                t[12 + 4 * i] = (byte) (i == 0 ? 0x88 : 0x81);
                t[13 + 4 * i] = (byte) (i == 0 ? 0xa8 : 0x00);
                t[15 + 4 * i] = (byte) (10 + i);
            }
            System.arraycopy(base, 12, t, 12 + 4 * tags, base.length - 12);
            out.add(t);
        }
        for (int len = 10; len < base.length; len += 3) {
            out.add(java.util.Arrays.copyOf(base, len));
        }
        for (int i = 0; i < 300; i++) {
            byte[] m = base.clone();
            int n = 1 + r.nextInt(3);
            for (int k = 0; k < n; k++) {
                int at = 12 + r.nextInt(Math.min(50, m.length - 12));
                m[at] = (byte) (r.nextBoolean() ? r.nextInt(256) : new int[] {0, 1, 5, 6, 17, 43, 44, 51, 58, 60}[r.nextInt(10)]);
            }
            out.add(m);
        }
        return out;
    }

    static int executed(ProgramSpec spec, byte[] frame, int[] verdict) {
        int[] steps = {0};
        VmProgram p = Vm.builder().tracer((at, insn, before, after) -> steps[0]++).build().load(spec, Map.of());
        RunResult r = p.run(XdpContext.of(frame));
        verdict[0] = r.verdict();
        return steps[0];
    }

    void compare(ProgramSpec dsl, ProgramSpec c, byte[] match, byte[] miss, List<byte[]> others) {
        int[] v = {0};
        int dslMatch = executed(dsl, match, v);
        assertThat(v[0]).isEqualTo(1);
        int cMatch = executed(c, match, v);
        assertThat(v[0]).isEqualTo(1);
        int dslMiss = executed(dsl, miss, v);
        assertThat(v[0]).isEqualTo(2);
        int cMiss = executed(c, miss, v);
        assertThat(v[0]).isEqualTo(2);
        assertThat(dslMatch).as("instructions on the matching packet (clang: %d)", cMatch).isLessThanOrEqualTo(cMatch);
        assertThat(dslMiss).as("instructions on the missing packet (clang: %d)", cMiss).isLessThanOrEqualTo(cMiss);
        VmProgram d = Vm.create().load(dsl, Map.of());
        VmProgram k = Vm.create().load(c, Map.of());
        java.util.Set<Integer> verdicts = new java.util.TreeSet<>();
        for (byte[] p : others) {
            int got = d.run(XdpContext.of(p)).verdict();
            assertThat(got).as("verdict for %s", HEX.formatHex(p)).isEqualTo(k.run(XdpContext.of(p)).verdict());
            verdicts.add(got);
        }
        assertThat(verdicts).containsExactly(1, 2);
    }

    @Test
    void ipv4SourcesAndATcpPortRange(@TempDir Path dir) throws IOException {
        PacketProgram dsl = PacketProgram.forTarget(Target.XDP).name("dsl_filter")
                .when(ipv4().src().in(cidrs("10.0.0.0/8", "192.168.0.0/16")).and(tcp().dstPort().between(80, 90)))
                .then(drop()).otherwise(pass()).build();
        Random r = new Random(7);
        List<byte[]> others = new ArrayList<>();
        for (int first : new int[] {10, 11, 192}) {
            for (int port : new int[] {79, 80, 85, 90, 91}) {
                others.addAll(variations(tcp4(first, port), r));
            }
        }
        compare(dsl.programSpec(), clang(dir, "dsl_filter"), tcp4(10, 85), tcp4(11, 85), others);
    }

    @Test
    void ipv6DestinationsAndAUdpPortSet(@TempDir Path dir) throws IOException {
        PacketProgram dsl = PacketProgram.forTarget(Target.XDP).name("dsl_filter6")
                .when(ipv6().dst().in(cidrs("2001:db8::/32", "fd00::/8")).and(udp().dstPort().in(53, 123, 443)))
                .then(drop()).otherwise(pass()).build();
        Random r = new Random(8);
        List<byte[]> others = new ArrayList<>();
        for (int first : new int[] {0x2001, 0x3001, 0xfd12}) {
            for (int port : new int[] {53, 54, 123, 443}) {
                byte[] p = udp6(first, port);
                others.addAll(variations(p, r));
                // behind a hop-by-hop options header (8 bytes) and a first fragment header
                byte[] ext = new byte[p.length + 16];
                System.arraycopy(p, 0, ext, 0, 54);
                ext[20] = 0;
                ext[54] = 44;
                ext[62] = 17;
                System.arraycopy(p, 54, ext, 70, p.length - 54);
                others.addAll(variations(ext, r));
            }
        }
        compare(dsl.programSpec(), clang(dir, "dsl_filter6"), udp6(0x2001, 53), udp6(0x3001, 53), others);
    }
}
