package io.jbpf.core.dsl.cbpf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * pcap-filter expressions compiled by the real tcpdump ({@code tcpdump -y EN10MB -d/-dd/-ddd},
 * no interface needed), some with the optimizer off ({@code -O}) for scratch-memory-heavy code.
 * tcpdump is installed by scripts/setup.sh; without it these tests fail, saying so.
 */
final class TcpdumpCorpus {
    /** An expression and whether tcpdump's optimizer is off for it. */
    record Entry(String expr, boolean unoptimized) {
        @Override
        public String toString() {
            return (unoptimized ? "-O " : "") + expr;
        }
    }

    static final List<String> EXPRESSIONS = List.of(
            "ip", "ip6", "arp", "tcp", "udp", "icmp", "icmp6",
            "tcp port 80", "udp dst port 53", "tcp src port 22 or tcp dst port 443",
            "host 10.1.2.3", "src host 192.168.0.1 and dst host 192.168.0.2", "net 10.0.0.0/8",
            "dst net 172.16.0.0 mask 255.240.0.0", "src or dst net 192.168.1.0/24",
            "portrange 1000-2000", "tcp dst portrange 8000-8080",
            "ether host 02:00:00:00:00:01", "ether src 02:00:00:00:00:02 or ether dst ff:ff:ff:ff:ff:ff",
            "ether proto 0x88cc", "ether broadcast", "ether multicast", "ip multicast", "ip broadcast",
            "less 64", "greater 1000", "len >= 100 and len <= 200",
            "tcp[tcpflags] & (tcp-syn|tcp-ack) = tcp-syn", "tcp[13] & 2 != 0",
            "icmp[icmptype] = icmp-echo", "icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply",
            "ip[8] < 5", "ip[2:2] > 1000", "ip[6:2] & 0x1fff != 0", "ip and not tcp and not udp", "not ip",
            "vlan", "vlan 100", "vlan and ip and tcp port 80", "ip6 and tcp dst port 443", "ip6 host ::1",
            "ip6 net 2001:db8::/32", "ip proto 47", "ip6 proto 58", "sctp", "udp[8:2] = 0x1234",
            "tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x47455420", "ip[0] & 0xf != 5",
            "(ip[2:2] - ((ip[0]&0xf)<<2)) > 100", "(ip[1] * 4 / 2) % 3 = 1", "ip[3] ^ 0xff = 0 or ip[4] | 1 = 3",
            "tcp port 80 and (ip[2:2] - ((ip[0]&0xf)<<2) - ((tcp[12]&0xf0)>>2)) != 0",
            "ip[0] << ip[1] = 0x40", "mpls", "pppoes");

    static final List<String> UNOPTIMIZED = List.of(
            "tcp port 80", "(ip[1] * 4 / 2) % 3 = 1", "vlan 100 and udp", "ip6 host ::1 or host 10.0.0.1",
            "(ip[2:2] - ((ip[0]&0xf)<<2)) > 100");

    private static final ConcurrentHashMap<String, String> CACHE = new ConcurrentHashMap<>();

    private TcpdumpCorpus() {
    }

    static List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        EXPRESSIONS.forEach(e -> out.add(new Entry(e, false)));
        UNOPTIMIZED.forEach(e -> out.add(new Entry(e, true)));
        return out;
    }

    /** tcpdump's output for {@code flag} ("-d", "-dd" or "-ddd"). */
    static String tcpdump(String flag, Entry e) {
        return CACHE.computeIfAbsent(flag + " " + e, key -> run(flag, e));
    }

    /** tcpdump's program for {@code e}, read from its -dd output. */
    static CbpfProgram program(Entry e) {
        return CbpfText.readDd(tcpdump("-dd", e));
    }

    private static String run(String flag, Entry e) {
        List<String> cmd = new ArrayList<>(List.of("tcpdump", "-y", "EN10MB", flag));
        if (e.unoptimized()) {
            cmd.add("-O");
        }
        cmd.add(e.expr());
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new AssertionError(cmd + " failed: " + new String(err, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw new AssertionError("cannot run tcpdump (scripts/setup.sh installs it): " + ex.getMessage(), ex);
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }
}
