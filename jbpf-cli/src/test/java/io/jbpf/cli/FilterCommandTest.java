package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FilterCommandTest {
    /** IPv4 TCP SYN 10.0.0.1:40000 > 10.0.0.2:80. */
    static final String TCP_SYN = "020000000002020000000001080045000028000100004006" + "66cc0a0000010a000002"
            + "9c40005000000001000000005002ffff00000000";
    /** IPv4 UDP 10.0.0.1:5353 > 10.0.0.2:53, 4 bytes of payload. */
    static final String UDP_DNS = "02000000000202000000000108004500002000020000401166c40a0000010a000002"
            + "14e90035000c0000deadbeef";
    /** ARP who-has 10.0.0.2 tell 10.0.0.1. */
    static final String ARP = "ffffffffffff0200000000010806000108000604000102000000000" + "10a000001000000000000"
            + "0a000002";

    @TempDir
    Path dir;

    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    private Path pcap() {
        Path f = dir.resolve("in.pcap");
        PcapWriter.writeAll(f, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), List.of(
                PcapRecord.of(Instant.ofEpochSecond(1), hex(TCP_SYN)),
                PcapRecord.of(Instant.ofEpochSecond(2), hex(UDP_DNS)),
                PcapRecord.of(Instant.ofEpochSecond(3), hex(ARP))));
        return f;
    }

    @Test
    void printsTheIndicesOfMatchingPackets() {
        Path f = pcap();
        CliRun r = CliRun.of("filter", "--expr", "tcp port 80", "--pcap", f.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("0\n");
        assertThat(r.err()).contains("1 of 3 packets match");
        CliRun all = CliRun.of("filter", "--expr", "ip or arp", "--pcap", f.toString());
        assertThat(all.out()).isEqualTo("0\n1\n2\n");
        CliRun hosts = CliRun.of("filter", "--expr", "host 10.0.0.2 and not tcp", "--pcap", f.toString());
        assertThat(hosts.out()).isEqualTo("1\n2\n");
    }

    @Test
    void printsSummaries() {
        CliRun r = CliRun.of("filter", "--expr", "", "--pcap", pcap().toString(), "--print");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("0 IP 10.0.0.1.40000 > 10.0.0.2.80: tcp 0 [S]\n"
                + "1 IP 10.0.0.1.5353 > 10.0.0.2.53: UDP, length 4\n"
                + "2 ARP who-has 10.0.0.2 tell 10.0.0.1\n");
    }

    @Test
    void writesTheMatches() {
        Path out = dir.resolve("out.pcap");
        CliRun r = CliRun.of("filter", "--expr", "udp", "--pcap", pcap().toString(), "--write", out.toString());
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<PcapRecord> kept = PcapReader.readAll(out);
        assertThat(kept).hasSize(1);
        assertThat(kept.get(0).data()).isEqualTo(hex(UDP_DNS));
        assertThat(kept.get(0).timestamp()).isEqualTo(Instant.ofEpochSecond(2));
    }

    @Test
    void everyEngineGivesTheSameIndices() {
        Path f = pcap();
        for (String engine : new String[] {"classic", "interp", "jit"}) {
            CliRun r = CliRun.of("filter", "--expr", "udp port 53 or arp", "--pcap", f.toString(), "--engine", engine);
            assertThat(r.exitCode()).as(engine + ": " + r.err()).isZero();
            assertThat(r.out()).as(engine).isEqualTo("1\n2\n");
        }
    }

    @Test
    void dumpsTheEbpfFormByDefault() {
        CliRun r = CliRun.of("filter", "--expr", "tcp port 80", "--dump");
        assertThat(r.exitCode()).as(r.err()).isZero();
        int n = PcapFilter.compile("tcp port 80").toEbpf(PcapFilter.Target.XDP).size();
        assertThat(r.out()).endsWith("ebpf instructions (xdp): " + n + "\n").doesNotContain("classic instructions");
        CliRun both = CliRun.of("filter", "--expr", "tcp port 80", "--dump=both");
        assertThat(both.out()).contains("classic instructions: ").contains("ebpf instructions (xdp): " + n);
    }

    @Test
    void dumpsTheClassicProgramWithItsSize() {
        CliRun r = CliRun.of("filter", "--expr", "tcp port 80", "--dump=classic");
        assertThat(r.exitCode()).as(r.err()).isZero();
        int n = PcapFilter.compile("tcp port 80").classic().size();
        assertThat(r.out()).startsWith("(000) ldh      [12]\n").contains("ldxb     4*([14]&0xf)")
                .endsWith("classic instructions: " + n + "\n");
        assertThat(r.out().lines().filter(l -> l.startsWith("(")).count()).isEqualTo(n);
    }

    @Test
    void syntaxErrorsNameTheColumn() {
        CliRun r = CliRun.of("filter", "--expr", "port and tcp", "--pcap", pcap().toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("1:6: expected a port number, found 'and'");
        CliRun name = CliRun.of("filter", "--expr", "host example.com", "--dump");
        assertThat(name.exitCode()).isEqualTo(1);
        assertThat(name.err()).contains("never resolves host");
    }

    @Test
    void refusesOptionsThatDoNotGoTogether() {
        // checked before anything is loaded or attached (the live capture itself is FilterCommandLiveTest)
        CliRun both = CliRun.of("filter", "--expr", "tcp", "--iface", "lo", "--pcap", pcap().toString());
        assertThat(both.exitCode()).isEqualTo(1);
        assertThat(both.err()).contains("--pcap reads a pcap file; it does not go with --iface");
        CliRun engine = CliRun.of("filter", "--expr", "tcp", "--iface", "lo", "--engine", "jit");
        assertThat(engine.exitCode()).isEqualTo(1);
        assertThat(engine.err()).contains("--engine");
        CliRun hook = CliRun.of("filter", "--expr", "tcp", "--iface", "lo", "--attach", "kprobe");
        assertThat(hook.exitCode()).isEqualTo(1);
        assertThat(hook.err()).contains("--attach kprobe: give xdp, xdp-generic, xdp-native, tc or tc-egress");
        CliRun snap = CliRun.of("filter", "--expr", "tcp", "--iface", "lo", "--snaplen", "300");
        assertThat(snap.exitCode()).isEqualTo(1);
        assertThat(snap.err()).contains("snap length 300 (1..256)");
        CliRun count = CliRun.of("filter", "--expr", "tcp", "--pcap", pcap().toString(), "--count", "3");
        assertThat(count.exitCode()).isEqualTo(1);
        assertThat(count.err()).contains("--count goes with --iface");
        CliRun badExpr = CliRun.of("filter", "--expr", "tcp and", "--iface", "lo");
        assertThat(badExpr.exitCode()).isEqualTo(1);
        assertThat(badExpr.err()).contains("1:8: expected a primitive");
        CliRun nothing = CliRun.of("filter", "--expr", "tcp");
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.err()).contains("--pcap");
    }
}
