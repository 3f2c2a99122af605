package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbpf filter --iface} on a veth inside network namespaces the test creates: it prints the
 * matching packets as they arrive, stops after {@code --count}, writes them with {@code --write}
 * and prints the counts.
 */
@KernelTest
class FilterCommandLiveTest {
    @TempDir
    Path dir;

    @Test
    void streamsThePingsUntilTheCount() throws Exception {
        for (String attach : new String[] {"xdp", "tc"}) {
            Path out = dir.resolve("live-" + attach + ".pcap");
            CliRun r;
            try (NetLab lab = NetLab.create()) {
                CompletableFuture<CliRun> run = CompletableFuture.supplyAsync(() -> CliRun.of("filter", "--expr",
                        "icmp", "--iface", NetLab.B_IF, "--netns", lab.nsB(), "--attach", attach, "--count", "3",
                        "--duration", "20", "--print", "--snaplen", "64", "--write", out.toString()));
                // UDP datagrams and pings from A until the command has its three packets
                for (int i = 0; i < 50 && !run.isDone(); i++) {
                    Shell.run("ip", "netns", "exec", lab.nsA(), "bash", "-c", "echo x >/dev/udp/" + lab.addressB()
                            + "/5353");
                    Shell.run("ip", "netns", "exec", lab.nsA(), "ping", "-c", "1", "-W", "1", lab.addressB());
                    Thread.sleep(100);
                }
                r = run.get(25, TimeUnit.SECONDS);
            }
            assertThat(r.exitCode()).as(r.err()).isZero();
            List<String> lines = r.out().lines().toList();
            assertThat(lines).as(attach).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(lines.get(i)).as(attach).matches(i + " \\d\\d:\\d\\d:\\d\\d\\.\\d{6} 98 IP 10\\.201\\.\\d+\\.1 >"
                        + " 10\\.201\\.\\d+\\.2: ICMP echo request, length \\d+");
            }
            assertThat(r.err()).contains("capturing on " + NetLab.B_IF + " in netns ")
                    .containsPattern("\\d+ packets seen, \\d+ matched, 0 lost");
            List<PcapRecord> written;
            PcapHeader header;
            try (InputStream in = Files.newInputStream(out); PcapReader reader = PcapReader.open(in)) {
                header = reader.header();
                written = reader.readAll();
            }
            assertThat(header.snapLength()).isEqualTo(64);
            assertThat(header.linkType()).isEqualTo(PcapHeader.LINKTYPE_ETHERNET);
            assertThat(written).hasSize(3).allSatisfy(p -> {
                assertThat(p.originalLength()).isEqualTo(98);
                assertThat(p.capturedLength()).isEqualTo(64);
                assertThat(PcapFilter.compile("icmp").matches(p.data(), p.originalLength())).isTrue();
            });
        }
    }

    @Test
    void aSignalStopsTheCaptureAndPrintsTheCounts() throws Exception {
        try (NetLab lab = NetLab.create()) {
            String java = ProcessHandle.current().info().command().orElse("java");
            Process p = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName(), "filter", "--expr", "icmp", "--iface",
                    NetLab.B_IF, "--netns", lab.nsB(), "--print").start();
            try {
                BufferedReader err = new BufferedReader(new InputStreamReader(
                        p.getErrorStream(), StandardCharsets.UTF_8));
                String first = err.readLine();
                assertThat(first).as("the first line on stderr").startsWith("capturing on " + NetLab.B_IF);
                Shell.check("ip", "netns", "exec", lab.nsA(), "ping", "-c", "2", "-i", "0.2", "-W", "1",
                        lab.addressB());
                Thread.sleep(300);
                p.toHandle().destroy(); // SIGTERM (keeping the pipes open): the shutdown hook runs, as on Ctrl-C
                assertThat(p.waitFor(15, TimeUnit.SECONDS)).isTrue();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                String rest = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(out.lines().toList()).hasSize(2).allSatisfy(l -> assertThat(l).contains("ICMP echo request"));
                assertThat(rest).containsPattern("\\d+ packets seen, 2 matched, 0 lost");
            } finally {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void namesWhatIsMissing() {
        try (NetLab lab = NetLab.create()) {
            CliRun noIf = CliRun.of("filter", "--expr", "icmp", "--iface", "jbpf-nosuch", "--netns", lab.nsB());
            assertThat(noIf.exitCode()).isEqualTo(1);
            assertThat(noIf.err()).contains("error: network interface 'jbpf-nosuch' not found: no such interface in"
                    + " network namespace '" + lab.nsB() + "'");
        }
        CliRun noNs = CliRun.of("filter", "--expr", "icmp", "--iface", "jbpf-b", "--netns", "jbpf-nosuch-ns");
        assertThat(noNs.exitCode()).isEqualTo(1);
        assertThat(noNs.err()).contains("network namespace 'jbpf-nosuch-ns' not found");
    }
}
