package io.jbpf.core.dsl.cbpf;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interpreter with libpcap's semantics picks the same packets of a capture as tcpdump reading
 * it ({@code tcpdump -r}), for every corpus expression; some records were cut short by the snap
 * length, so {@code len} and the loads' limit differ.
 */
class CbpfInterpreterVsTcpdumpTest {
    static Path pcap;
    static List<PcapRecord> records = new ArrayList<>();

    static List<TcpdumpCorpus.Entry> corpus() {
        return TcpdumpCorpus.entries();
    }

    @BeforeAll
    static void writeCapture() throws IOException {
        List<byte[]> frames = Frames.corpus(0x9ca9, 200);
        for (int i = 0; i < frames.size(); i++) {
            byte[] f = frames.get(i);
            int original = i % 7 == 3 ? f.length + 1 + i % 300 : f.length; // captured shorter than sent
            records.add(new PcapRecord(Instant.ofEpochSecond(i), original, f));
        }
        pcap = Files.createTempFile("jbpf-cbpf", ".pcap");
        PcapWriter.writeAll(pcap, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), records);
    }

    @AfterAll
    static void removeCapture() throws IOException {
        if (pcap != null) {
            Files.deleteIfExists(pcap);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void sameMatchesAsTcpdump(TcpdumpCorpus.Entry e) throws Exception {
        CbpfProgram p = TcpdumpCorpus.program(e);
        TreeSet<Integer> ours = new TreeSet<>();
        for (int i = 0; i < records.size(); i++) {
            PcapRecord r = records.get(i);
            if (CbpfInterpreter.libpcap().matches(p, CbpfPacket.of(r.data()).withLength(r.originalLength()))) {
                ours.add(i);
            }
        }
        assertThat(ours).as("%s: tcpdump -r picks the same records", e).isEqualTo(tcpdump(e));
        if (e.expr().equals("ip") || e.expr().equals("ip[0] << ip[1] = 0x40")) {
            assertThat(ours).isNotEmpty(); // not vacuous (the second matches the 0x10 << 2 frame; its shift by 37 gives 0 here, as in libpcap)
        }
    }

    static TreeSet<Integer> tcpdump(TcpdumpCorpus.Entry e) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-r", pcap.toString(), "-tt", "-n"));
        if (e.unoptimized()) {
            cmd.add("-O");
        }
        cmd.add(e.expr());
        Process proc = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(proc.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(proc.exitValue()).as("tcpdump %s", cmd).isZero();
        TreeSet<Integer> indices = new TreeSet<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank() && Character.isDigit(line.charAt(0))) {
                indices.add(Integer.parseInt(line.substring(0, line.indexOf('.'))));
            }
        }
        return indices;
    }
}
