package io.jbpf.test.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads a pcap that tcpdump itself wrote: a ping between two network namespaces (named
 * {@code jbpf-<pid>-<n>a/b}, joined by a veth pair; no traffic leaves them), captured on the veth
 * with nanosecond timestamps, then parsed with {@link PacketView}. Needs root for the namespaces.
 */
@KernelTest
class PacketCaptureTest {
    @TempDir
    Path dir;

    @Test
    void readsWhatTcpdumpCapturedOnAVeth() throws Exception {
        Assumptions.assumeTrue(new java.io.File("/usr/bin/tcpdump").canExecute()
                || new java.io.File("/usr/sbin/tcpdump").canExecute(), "SKIPPED LOUDLY: tcpdump is not installed");
        Path file = dir.resolve("ping.pcap");
        NetLab lab = NetLab.create();
        Process tcpdump = null;
        try {
            tcpdump = new ProcessBuilder("ip", "netns", "exec", lab.nsB(), "tcpdump", "-i", NetLab.B_IF, "-U", "-n",
                    "--time-stamp-precision=nano", "-c", "6", "-w", file.toString(), "icmp").start();
            // tcpdump says "listening on ..." on stderr once the capture is open
            BufferedReader err = new BufferedReader(new InputStreamReader(tcpdump.getErrorStream(), StandardCharsets.UTF_8));
            String line = err.readLine();
            assertThat(line).as("tcpdump's first line").contains("listening on");
            assertThat(lab.pingAtoB()).isTrue();
            assertThat(tcpdump.waitFor(10, TimeUnit.SECONDS)).as("tcpdump saw 6 ICMP packets").isTrue();
        } finally {
            if (tcpdump != null && tcpdump.isAlive()) {
                tcpdump.destroy();
                tcpdump.waitFor(5, TimeUnit.SECONDS);
            }
            lab.close();
        }
        try (PcapReader in = PcapReader.open(java.nio.file.Files.newInputStream(file))) {
            assertThat(in.header().nanosecond()).isTrue();
            assertThat(in.header().linkType()).isEqualTo(PcapHeader.LINKTYPE_ETHERNET);
            List<PcapRecord> records = in.readAll();
            assertThat(records).hasSize(6);
            for (int i = 0; i < records.size(); i++) {
                PacketView v = Packet.of(in.header().linkType(), records.get(i)).view();
                assertThat(v.checksumsValid()).as(v.summary()).isTrue();
                PacketView.Ipv4 ip = v.ipv4().orElseThrow();
                PacketView.Icmp icmp = v.icmp().orElseThrow();
                boolean request = i % 2 == 0;
                assertThat(icmp.type()).as(v.summary()).isEqualTo(request ? 8 : 0);
                assertThat(ip.source().getHostAddress()).isEqualTo(request ? lab.addressA() : lab.addressB());
                assertThat(ip.destination().getHostAddress()).isEqualTo(request ? lab.addressB() : lab.addressA());
                assertThat(icmp.sequence()).isEqualTo(i / 2 + 1);
            }
        }
    }
}
