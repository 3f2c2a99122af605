package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import io.jbpf.core.testing.KernelTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbpf filter --engine kernel}: the XDP form loaded into the kernel gives what the other engines give. */
@KernelTest
class FilterCommandKernelTest {
    @TempDir
    Path dir;

    @Test
    void kernelEngineMatchesTheVmAndClassic() {
        Path f = dir.resolve("in.pcap");
        HexFormat hex = HexFormat.of();
        PcapWriter.writeAll(f, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), List.of(
                PcapRecord.of(Instant.ofEpochSecond(1), hex.parseHex(FilterCommandTest.TCP_SYN)),
                PcapRecord.of(Instant.ofEpochSecond(2), hex.parseHex(FilterCommandTest.UDP_DNS)),
                PcapRecord.of(Instant.ofEpochSecond(3), hex.parseHex(FilterCommandTest.ARP)),
                PcapRecord.of(Instant.ofEpochSecond(4), hex.parseHex("0102030405"))));
        for (String expr : new String[] {"tcp port 80", "udp port 53 or arp", "less 40", "not ip"}) {
            CliRun classic = CliRun.of("filter", "--expr", expr, "--pcap", f.toString(), "--engine", "classic");
            CliRun kernel = CliRun.of("filter", "--expr", expr, "--pcap", f.toString(), "--engine", "kernel");
            assertThat(kernel.exitCode()).as(kernel.err()).isZero();
            // the 5-byte frame cannot be test-run in the kernel, and says so
            assertThat(kernel.err()).contains("1 packets shorter than an Ethernet header were not run");
            assertThat(kernel.out()).as(expr).isEqualTo(classic.out().replace("3\n", ""));
        }
    }
}
