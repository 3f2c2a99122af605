package io.jbpf.core.dsl.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.dsl.cbpf.CbpfInsn;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The parser's grammar (libpcap's precedence, qualifier inheritance, arithmetic precedence),
 * its error positions, and the generator's corner cases. Agreement with tcpdump itself over
 * captures is PcapFilterTcpdumpTest in jbpf-test.
 */
class PcapFilterTest {
    private static PcapFilterException error(String expr) {
        try {
            PcapFilter.compile(expr);
        } catch (PcapFilterException e) {
            return e;
        }
        throw new AssertionError("compiled: " + expr);
    }

    private static void same(String a, String b) {
        assertThat(PcapFilter.compile(a).classic()).as(a + " vs " + b).isEqualTo(PcapFilter.compile(b).classic());
    }

    private static void different(String a, String b) {
        assertThat(PcapFilter.compile(a).classic()).as(a + " vs " + b).isNotEqualTo(PcapFilter.compile(b).classic());
    }

    @Test
    void syntaxErrorsNameLineColumnAndWhatWasExpected() {
        PcapFilterException e = error("port and tcp");
        assertThat(e).isInstanceOf(PcapFilterSyntaxException.class).hasMessage("1:6: expected a port number, found 'and'");
        assertThat(((PcapFilterSyntaxException) e).expected()).isEqualTo("a port number");
        assertThat(e.column()).isEqualTo(6);
        assertThat(error("tcp and").getMessage()).startsWith("1:8: expected a primitive").endsWith("found end of expression");
        assertThat(error("(tcp").getMessage()).isEqualTo("1:5: expected ')', found end of expression");
        assertThat(error("tcp)").getMessage()).isEqualTo("1:4: expected 'and', 'or' or the end of the expression, found ')'");
        assertThat(error("host 1.2.3.4 $").getMessage()).isEqualTo("1:14: unexpected character '$'");
        assertThat(error("ip[0:3] = 1").getMessage()).isEqualTo("1:6: data size must be 1, 2, or 4");
        assertThat(error("ip[1] =").getMessage()).startsWith("1:8: expected a number, len");
        PcapFilterException two = error("tcp and\n  port nosuch");
        assertThat(two.line()).isEqualTo(2);
        assertThat(two.column()).isEqualTo(8);
        assertThat(two.getMessage()).contains("unknown port 'nosuch'");
    }

    @Test
    void neverResolvesNames() {
        assertThat(error("host example.com").getMessage()).isEqualTo(
                "1:6: 'example.com' is a name: this compiler never resolves host or network names; write the address");
        assertThat(error("net loopnet").getMessage()).contains("never resolves");
        assertThat(error("ether host somebox").getMessage()).contains("never resolves");
        // numeric forms and built-in service and protocol names are fine
        same("port http", "tcp port 80");
        same("ip proto \\tcp", "ip proto 6");
        same("ether proto \\arp", "ether proto 0x806");
    }

    @Test
    void refusesWhatLibpcapRefusesWithItsMessages() {
        assertThat(error("tcp host 1.2.3.4").detail()).isEqualTo("'tcp' modifier applied to host");
        assertThat(error("ip port 80").detail()).isEqualTo("illegal qualifier of 'port'");
        assertThat(error("net 10.1.2.3/8").detail()).isEqualTo("non-network bits set in \"10.1.2.3/8\"");
        assertThat(error("host 10.0.0.0/8").detail()).isEqualTo("Mask syntax for networks only");
        assertThat(error("udp port http").detail()).isEqualTo("port 'http' is tcp");
        assertThat(error("vlan 5000").detail()).isEqualTo("VLAN tag 5000 greater than maximum 4095");
        assertThat(error("len / 0 = 1").detail()).isEqualTo("division by zero");
        assertThat(error("tcp and 80").detail()).contains("no qualifier to inherit");
        assertThat(error("mpls").detail()).contains("not supported");
    }

    @Test
    void andAndOrHaveEqualPrecedenceLeftToRightAndNotBindsTighter() {
        same("tcp or udp and port 53", "(tcp or udp) and port 53");
        different("tcp or udp and port 53", "tcp or (udp and port 53)");
        same("not tcp and udp", "(not tcp) and udp");
        same("tcp && udp || icmp", "(tcp and udp) or icmp");
        same("! tcp", "not tcp");
    }

    @Test
    void bareIdsInheritTheQualifiersBeforeThem() {
        same("host 10.0.0.1 or 10.0.0.2", "host 10.0.0.1 or host 10.0.0.2");
        same("tcp dst port 80 or 443", "tcp dst port 80 or tcp dst port 443");
        same("host 10.0.0.1 and not 10.0.0.2", "host 10.0.0.1 and not host 10.0.0.2");
        same("src net 10.0.0.0/8 or 192.168.0.0/16", "src net 10.0.0.0/8 or src net 192.168.0.0/16");
        same("host 10.0.0.1 and (10.0.0.2 or 10.0.0.3)", "host 10.0.0.1 and (host 10.0.0.2 or host 10.0.0.3)");
        // a new head replaces all three qualifiers
        same("tcp src port 1 and dst 10.0.0.2", "tcp src port 1 and dst host 10.0.0.2");
    }

    @Test
    void arithmeticFollowsLibpcapsGrammar() {
        same("ip[0] + 2 * 3 = 7", "ip[0] + 6 = 7");
        same("len - (1 + 2) = 0", "len - 3 = 0");
        // '%' and '^' have no precedence in libpcap's grammar: they take everything to their right
        same("len % 3 + 1 = 2", "len % 4 = 2");
        same("len & 3 ^ 1 = 2", "len & 2 = 2");
        same("len * 2 % 3 = 1", "len * 2 = 1");
        same("tcp[tcpflags] & (tcp-syn|tcp-ack) != 0", "tcp[13] & 18 != 0");
        same("icmp[icmptype] = icmp-echo", "icmp[0] = 8");
    }

    @Test
    void shortNetsAndMasksAsLibpcap() {
        same("net 10", "net 10.0.0.0/8");
        same("net 10.1", "net 10.1.0.0/16");
        same("net 192.168.1", "net 192.168.1.0/24");
        same("net 10.1.0.0 mask 255.255.0.0", "net 10.1.0.0/16");
        // a bare number is a whole 32-bit address for host, a promoted prefix for net
        same("host 10", "host 0.0.0.10");
        same("host 10.1", "net 10.1.0.0/16");
    }

    @Test
    void vlanMovesLaterOffsets() {
        String listing = PcapFilter.compile("vlan 10 and vlan and udp").classicListing();
        assertThat(listing).contains("ldh      [14]").contains("ldh      [16]\n").contains("ldh      [20]\n")
                .contains("ldb      [31]");
        // after one tag, ip means 0x800 at offset 16, where a second tag cannot be as well
        assertThat(PcapFilter.compile("vlan and ip and vlan").classic().size()).isEqualTo(1);
        different("vlan and ip", "ip and vlan");
    }

    @Test
    void countsAreCloseToLibpcapsOptimizer() {
        // tcpdump -d (libpcap 1.10) sizes of the same expressions
        assertThat(PcapFilter.compile("tcp").classic().size()).isEqualTo(12);
        assertThat(PcapFilter.compile("port 80").classic().size()).isEqualTo(24);
        assertThat(PcapFilter.compile("host 1.2.3.4").classic().size()).isEqualTo(14);
        assertThat(PcapFilter.compile("ip6 net ::/16").classic().size()).isEqualTo(8);
        assertThat(PcapFilter.compile("port 80").classic().size())
                .isLessThan(PcapFilter.compileUnoptimized("port 80").classic().size());
    }

    private static byte[] ipv4(int src, int dst) {
        byte[] f = new byte[54];
        f[12] = 0x08;
        f[14] = 0x45;
        f[17] = 40;
        f[22] = 64;
        f[23] = 6;
        for (int i = 0; i < 4; i++) {
            f[26 + i] = (byte) (src >>> (24 - 8 * i));
            f[30 + i] = (byte) (dst >>> (24 - 8 * i));
        }
        return f;
    }

    @Test
    void longProgramsGetJumpTrampolines() {
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            hosts.add("10.9.0." + i);
        }
        String expr = "host " + String.join(" or ", hosts);
        PcapFilter f = PcapFilter.compile(expr);
        assertThat(f.classic().size()).isGreaterThan(256);
        assertThat(f.classic().instructions()).anyMatch(i -> i.isJump() && !i.isConditionalJump());
        for (CbpfInsn in : f.classic().instructions()) {
            assertThat(in.jt()).isBetween(0, 255);
            assertThat(in.jf()).isBetween(0, 255);
        }
        assertThat(f.matches(ipv4(0x0a090001, 0x01010101), 54)).isTrue();
        assertThat(f.matches(ipv4(0x01010101, 0x0a09003c), 54)).isTrue();
        assertThat(f.matches(ipv4(0x01010101, 0x0a09003d), 54)).isFalse();
    }

    @Test
    void emptyExpressionMatchesEverything() {
        PcapFilter all = PcapFilter.compile("  ");
        assertThat(all.matches(new byte[0], 0)).isTrue();
        assertThat(all.matches(new byte[] {1, 2, 3}, 3)).isTrue();
        assertThat(all.classic().size()).isEqualTo(1);
    }

    @Test
    void truncatedPacketsAreRejectedAsLibpcapRejectsThem() {
        byte[] f = ipv4(0x0a000001, 0x0a000002);
        byte[] cut = java.util.Arrays.copyOf(f, 30);
        assertThat(PcapFilter.compile("host 10.0.0.1").matches(cut, 54)).isTrue();
        assertThat(PcapFilter.compile("dst host 10.0.0.2").matches(cut, 54)).isFalse();
        // a load past the end rejects the packet even under "not"
        assertThat(PcapFilter.compile("not dst host 10.0.0.9").matches(cut, 54)).isFalse();
        assertThat(PcapFilter.compile("not dst host 10.0.0.9").matches(f, 54)).isTrue();
    }

    @Test
    void reordersPortTestsAsLibpcapSoAFrameCutAfterTheSourcePortIsJudgedAlike() {
        // IPv4/UDP from port 22, cut two bytes into the UDP header: the source port is there, the
        // destination port is not. tcpdump's code tests the source port against 1234 and then 22
        // (libpcap's pull-up) before it loads the destination port, so it matches.
        HexFormat hex = HexFormat.of();
        byte[] frame = hex.parseHex("0200000000010200000000020800" + "45000020000100004011" + "0000"
                + "0a0000010a000002" + "0016");
        PcapFilter f = PcapFilter.compile("port 1234 or 22");
        assertThat(f.matches(frame, 60)).isTrue();
        // a frame from another port, cut alike, fails on the destination port's load
        byte[] other = frame.clone();
        other[other.length - 1] = 0x17;
        assertThat(f.matches(other, 60)).isFalse();
        // the pulled-up test is the second one, on the source port already in A (the IPv4 tests come last)
        List<String> jumps = new ArrayList<>();
        for (CbpfInsn in : f.classic().instructions()) {
            if (in.isConditionalJump() && (in.k() == 1234 || in.k() == 22)) {
                jumps.add(Integer.toString(in.k()));
            }
        }
        assertThat(jumps).endsWith("1234", "22", "1234", "22");
    }

    @Test
    void keepsOneOfTwoLoadsOfTheSameBytes() {
        // two loads of the ARP source address, the second a repeat of the first along one path: one
        // clean-up pass must not remove the first as unread (the repeat reloads it) and the second as a
        // repeat (of the first) together
        PcapFilter f = PcapFilter.compile(
                "(src and dst host 2001:db8::2) || src net 10.0.0.0/24 and src host fe80::1 or not (arp src host 192.168.1.1)");
        HexFormat hex = HexFormat.of();
        String arpHead = "ffffffffffff0200000000010806" + "0001080006040001" + "020000000001";
        byte[] fromThatHost = hex.parseHex(arpHead + "c0a80101" + "000000000000" + "c0a80102");
        byte[] fromAnother = hex.parseHex(arpHead + "c0a80109" + "000000000000" + "c0a80102");
        assertThat(f.matches(fromThatHost, 60)).isFalse();
        assertThat(f.matches(fromAnother, 60)).isTrue();
        assertThat(f.matches(ipv4(0x0a000001, 0x0a000002), 54)).isTrue();
    }
}
