package io.jbpf.test.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapWriter;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cross-checks our checksums against tcpdump's own verdicts on a pcap of built packets. */
class PacketTcpdumpTest {
    private static final String A = "02:00:00:00:00:01";
    private static final String B = "02:00:00:00:00:02";

    @TempDir
    Path dir;

    @BeforeAll
    static void needTcpdump() {
        boolean found = false;
        for (String d : System.getenv().getOrDefault("PATH", "/usr/bin:/usr/sbin").split(File.pathSeparator)) {
            found |= new File(d, "tcpdump").canExecute();
        }
        found |= new File("/usr/sbin/tcpdump").canExecute() || new File("/usr/bin/tcpdump").canExecute();
        Assumptions.assumeTrue(found, "SKIPPED LOUDLY: tcpdump is not installed, so built packets' checksums are not"
                + " cross-checked against tcpdump (apt-get install tcpdump)");
    }

    private static List<Packet> handPicked() {
        Packet inner = Packet.ipv4("10.0.0.1", "10.0.0.2").udp(5, 6).payload(new byte[4]).build();
        return List.of(
                Packet.ether(A, B).vlan(100).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(TcpFlag.SYN).mss(1460)
                        .sackPermitted().timestamps(1, 0).nop().windowScale(7).payload("hi".getBytes()).build(),
                Packet.ether(A, B).qinq(1, 2).ipv4("10.0.0.1", "10.0.0.2").routerAlert().udp(53, 53).build(),
                Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").icmpEchoRequest(1, 2).payload(new byte[33]).build(),
                Packet.ether(A, B).ipv4("10.0.0.2", "10.0.0.1").icmpDestinationUnreachable(3, inner).build(),
                Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").hopByHop().destinationOptions().tcp(1, 2).build(),
                Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").routing(1, "2001:db8::9").udp(1, 2)
                        .payload(new byte[3]).build(),
                Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").fragment(0, false, 7).udp(1, 2).build(),
                Packet.ether(A, B).ipv6("fe80::1", "ff02::1:ff00:2").neighborSolicitation("fe80::2").build(),
                Packet.ether(A, B).ipv6("fe80::2", "fe80::1").neighborAdvertisement("fe80::2", false, true, true).build(),
                Packet.ether(A, B).ipv6("2001:db8::1", "2001:db8::2").icmpv6EchoReply(7, 8).payload(new byte[5]).build());
    }

    private String tcpdump(List<Packet> packets) throws IOException, InterruptedException {
        Path f = dir.resolve("built.pcap");
        List<io.jbpf.core.pcap.PcapRecord> records = new ArrayList<>();
        packets.forEach(p -> records.add(p.toPcapRecord(Instant.EPOCH)));
        PcapWriter.writeAll(f, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), records);
        Process p = new ProcessBuilder("tcpdump", "-r", f.toString(), "-vvv", "-nn", "-e").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void tcpdumpFindsEveryChecksumOfBuiltPacketsCorrect() throws Exception {
        List<Packet> packets = new ArrayList<>(handPicked());
        Random r = new Random(42);
        for (int i = 0; i < 300; i++) {
            packets.add(RandomPackets.next(r).packet());
        }
        String out = tcpdump(packets);
        assertThat(out).doesNotContainIgnoringCase("incorrect").doesNotContain("bad ").doesNotContain("wrong");
        // tcpdump does not verify the upper layer behind an IPv6 fragment header, even an atomic one
        long verified = packets.stream().map(Packet::view)
                .filter(v -> v.tcp().isPresent() || v.udp().isPresent() || v.icmpv6().isPresent())
                .filter(v -> v.ipv6().flatMap(ip -> ip.extension(Ipv6Builder.FRAGMENT)).isEmpty()).count();
        int verdicts = count(out, "(correct)") + count(out, "sum ok]");
        // the quoted UDP header inside the ICMP error is verified too
        assertThat(verdicts).as(out).isEqualTo(verified + 1);
    }

    @Test
    void tcpdumpAgreesOnTheExpectedValueOfWrongChecksums() throws Exception {
        List<Packet> bad = new ArrayList<>();
        Random r = new Random(7);
        for (int i = 0; i < 100; i++) {
            Packet p = RandomPackets.next(r).packet();
            PacketView v = p.view();
            int field = v.tcp().map(t -> t.offset() + 16).or(() -> v.udp().map(u -> u.offset() + 6))
                    .or(() -> v.icmp().map(c -> c.offset() + 2)).or(() -> v.icmpv6().map(c -> c.offset() + 2))
                    .orElseThrow();
            bad.add(p.withBytes(field, (byte) 0x12, (byte) 0x34));
        }
        bad.add(Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").checksum(0x1234).udp(1, 2).checksum(5).build());
        String out = tcpdump(bad);
        List<String> theirs = new ArrayList<>();
        Matcher m = Pattern.compile("->\\s*(?:0x)?([0-9a-f]{1,4})").matcher(out);
        while (m.find()) {
            theirs.add(String.format("%04x", Integer.parseInt(m.group(1), 16)));
        }
        List<String> ours = new ArrayList<>();
        Pattern expected = Pattern.compile("expected 0x([0-9a-f]{4})");
        for (Packet p : bad) {
            PacketView v = p.view();
            assertThat(v.checksumsValid()).isFalse();
            for (String e : v.checksumErrors()) {
                Matcher em = expected.matcher(e);
                assertThat(em.find()).as(e).isTrue();
                ours.add(em.group(1));
            }
        }
        assertThat(theirs).as(out).isEqualTo(ours);
        long icmp4 = bad.stream().filter(p -> p.view().icmp().isPresent()).count();
        assertThat(count(out, "wrong icmp cksum")).isEqualTo((int) icmp4);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }
}
