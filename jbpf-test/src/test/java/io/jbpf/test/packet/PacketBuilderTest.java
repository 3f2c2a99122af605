package io.jbpf.test.packet;

import static io.jbpf.test.packet.TcpFlag.ACK;
import static io.jbpf.test.packet.TcpFlag.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PacketBuilderTest {
    private static final String A = "02:00:00:00:00:01";
    private static final String B = "02:00:00:00:00:02";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static String hex(byte[] b, int from, int to) {
        return HexFormat.of().formatHex(Arrays.copyOfRange(b, from, to));
    }

    @Test
    void ipv4HeaderMatchesTheTextbookExample() {
        // the header of Wikipedia's "IPv4 header checksum" example: checksum 0xb861
        byte[] p = Packet.ipv4("192.168.0.1", "192.168.0.199").dontFragment().protocol(17)
                .payload(new byte[0x73 - 20]).bytes();
        assertThat(hex(p, 0, 20)).isEqualTo("450000730000400040 11b861c0a80001c0a800c7".replace(" ", ""));
    }

    @Test
    void ethernetArpFrameIsLaidOutAsRfc826Says() {
        byte[] p = Packet.ether(A, "ff:ff:ff:ff:ff:ff").arpRequest("10.0.0.1", "10.0.0.2").bytes();
        assertThat(p).isEqualTo(hex("ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 0a000001"
                + " 000000000000 0a000002"));
        byte[] reply = Packet.ether(B, A).arpReply("10.0.0.2", "10.0.0.1").bytes();
        assertThat(hex(reply, 12, 42)).isEqualTo("0806" + "0001080006040002" + "020000000002" + "0a000002"
                + "020000000001" + "0a000001");
        assertThat(Packet.of(reply).view().arp()).hasValueSatisfying(a -> {
            assertThat(a.operation()).isEqualTo(2);
            assertThat(a.senderIp().getHostAddress()).isEqualTo("10.0.0.2");
            assertThat(a.targetMac()).isEqualTo(MacAddress.of(A));
        });
    }

    @Test
    void vlanAndQinqTagsComeBeforeTheEtherType() {
        byte[] p = Packet.ether(A, B).vlan(100, 5).ipv4("10.0.0.1", "10.0.0.2").bytes();
        assertThat(hex(p, 12, 18)).isEqualTo("8100" + "a064" + "0800");
        byte[] q = Packet.ether(A, B).qinq(100, 200).ipv6("::1", "::2").bytes();
        assertThat(hex(q, 12, 22)).isEqualTo("88a8" + "0064" + "8100" + "00c8" + "86dd");
        assertThat(Packet.of(q).view().ethernet().get().vlanTags()).containsExactly(
                new VlanTag(0x88a8, 0, false, 100), new VlanTag(0x8100, 0, false, 200));
        assertThat(Packet.of(q).view().ipv6()).isPresent();
    }

    @Test
    void icmpEchoRequestHasTheRightChecksum() {
        // 0800 0000 0001 0001 sums to 0x0802: checksum 0xf7fd
        byte[] p = Packet.ipv4("10.0.0.1", "10.0.0.2").icmpEchoRequest(1, 1).bytes();
        assertThat(hex(p, 20, 28)).isEqualTo("0800f7fd00010001");
        assertThat(p[9]).isEqualTo((byte) 1);
    }

    @Test
    void tcpOptionsAreEncodedInOrderAndPadded() {
        Packet p = Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).flags(SYN).seq(0x01020304L)
                .mss(1460).sackPermitted().timestamps(1, 0).nop().windowScale(7).build();
        byte[] b = p.bytes();
        int tcp = 14 + 20;
        assertThat(hex(b, tcp, tcp + 14)).isEqualTo("04d2" + "0050" + "01020304" + "00000000" + "a0" + "02");
        assertThat(hex(b, tcp + 20, tcp + 40)).isEqualTo("020405b4" + "0402" + "080a0000000100000000" + "01" + "030307");
        PacketView.Tcp t = p.view().tcp().orElseThrow();
        assertThat(t.flagSet()).containsExactly(SYN);
        assertThat(t.option(2).orElseThrow().data()).containsExactly(0x05, 0xb4);
        assertThat(t.option(3).orElseThrow().data()).containsExactly(7);
        assertThat(p.view().checksumsValid()).isTrue();
    }

    @Test
    void ipv4FragmentsOptionsDscpAndEcn() {
        Packet p = Packet.ipv4("10.0.0.1", "10.0.0.2").id(0xbeef).moreFragments().fragmentOffset(1480).ttl(3)
                .dscp(46).ecn(1).routerAlert().udp(1, 2).build();
        byte[] b = p.bytes();
        assertThat(b[0]).isEqualTo((byte) 0x46);
        assertThat(b[1]).isEqualTo((byte) (46 << 2 | 1));
        assertThat(hex(b, 4, 8)).isEqualTo("beef" + "20b9"); // MF | 1480/8 = 185
        assertThat(hex(b, 20, 24)).isEqualTo("94040000");
        PacketView.Ipv4 ip = p.view().ipv4().orElseThrow();
        assertThat(ip.moreFragments()).isTrue();
        assertThat(ip.dontFragment()).isFalse();
        assertThat(ip.fragmentOffset()).isEqualTo(1480);
        assertThat(ip.dscp()).isEqualTo(46);
        assertThat(ip.ecn()).isEqualTo(1);
        assertThat(ip.ttl()).isEqualTo(3);
        // a non-first fragment carries no UDP header
        assertThat(p.view().udp()).isEmpty();
        assertThat(p.view().checksumsValid()).isTrue();
        assertThatThrownBy(() -> Packet.ipv4("10.0.0.1", "10.0.0.2").fragmentOffset(12))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiple of 8");
    }

    @Test
    void ipv6ExtensionHeadersChainTheirNextHeaders() {
        Packet p = Packet.ipv6("2001:db8::1", "2001:db8::2").hopByHop().routing(1, "2001:db8::9")
                .fragment(0, false, 0x12345678L).destinationOptions().tcp(1, 2).flags(SYN, ACK).build();
        byte[] b = p.bytes();
        assertThat(b[6]).isEqualTo((byte) 0); // hop-by-hop first
        assertThat(hex(b, 40, 48)).isEqualTo("2b00" + "0104" + "00000000"); // next routing, PadN 4
        assertThat(hex(b, 48, 56)).isEqualTo("2c02" + "0001" + "00000000"); // next fragment, len 2, type 0, 1 left
        assertThat(hex(b, 72, 80)).isEqualTo("3c00" + "0000" + "12345678"); // next dst options
        assertThat(hex(b, 80, 88)).isEqualTo("0600" + "0104" + "00000000"); // next TCP
        PacketView v = p.view();
        assertThat(v.ipv6().orElseThrow().extensions()).extracting(PacketView.Ipv6Extension::type)
                .containsExactly(0, 43, 44, 60);
        assertThat(v.ipv6().get().payloadLength()).isEqualTo(48 + 20);
        assertThat(v.ipv6().get().extension(44).orElseThrow().fragmentId()).isEqualTo(0x12345678L);
        assertThat(v.tcp().orElseThrow().flagSet()).containsExactlyInAnyOrder(SYN, ACK);
        assertThat(v.checksumsValid()).as(v.summary()).isTrue();
    }

    @Test
    void neighbourDiscoveryUsesHopLimit255AndTheLinkAddressOption() {
        Packet ns = Packet.ether(A, "33:33:ff:00:00:02").ipv6("fe80::1", "ff02::1:ff00:2")
                .neighborSolicitation("fe80::2").build();
        PacketView v = ns.view();
        assertThat(v.ipv6().orElseThrow().hopLimit()).isEqualTo(255);
        assertThat(v.icmpv6().orElseThrow().type()).isEqualTo(135);
        assertThat(HexFormat.of().formatHex(v.payload())).isEqualTo("fe800000000000000000000000000002" + "0101" + "020000000001");
        Packet na = Packet.ipv6("fe80::2", "fe80::1").neighborAdvertisement("fe80::2", true, true, false).build();
        assertThat(na.view().icmpv6().orElseThrow().restOfHeader()).isEqualTo(0xc000_0000L);
        assertThat(na.view().payload()).hasSize(16); // no Ethernet, so no link-layer option
        assertThat(na.view().checksumsValid()).isTrue();
    }

    @Test
    void destinationUnreachableCarriesTheOriginalPacket() {
        Packet original = Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53).payload(new byte[4]).build();
        Packet icmp = Packet.ether(B, A).ipv4("10.0.0.2", "10.0.0.1").icmpDestinationUnreachable(3, original).build();
        PacketView v = icmp.view();
        assertThat(v.icmp().orElseThrow().type()).isEqualTo(3);
        assertThat(v.payload()).isEqualTo(original.ipBytes());
        PacketView inner = PacketView.parse(LinkLayer.RAW_IP, v.payload());
        assertThat(inner.udp().orElseThrow().destinationPort()).isEqualTo(53);
        assertThat(v.checksumsValid()).isTrue();
    }

    @Test
    void overridesBuildMalformedPacketsThatTheViewReports() {
        var tcp = Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2);
        assertThat(tcp.build().view().checksumsValid()).isTrue();
        assertThat(tcp.checksum(0x1234).build().view().checksumErrors())
                .containsExactly("TCP checksum 0x1234 is wrong, expected 0x9bdf");
        assertThat(Packet.ipv4("10.0.0.1", "10.0.0.2").ihl(4).build().view().problem())
                .hasValue("IPv4 IHL 4 is below 5");
        assertThat(Packet.ipv4("10.0.0.1", "10.0.0.2").totalLength(100).build().view().problem())
                .hasValue("IPv4 total length 100 but only 20 bytes");
        assertThat(Packet.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).length(9).build().view().problem())
                .hasValue("UDP length 9 but the IP payload is 8 bytes");
        assertThat(Packet.ipv6("::1", "::2").udp(1, 2).checksum(0).build().view().checksumErrors())
                .containsExactly("UDP checksum 0 (none) is not allowed over IPv6");
        assertThat(Packet.ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).checksum(0).build().view().checksumsValid()).isTrue();
        Packet truncated = Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).build().truncated(40);
        assertThat(truncated.view().problem()).hasValue("IPv4 total length 40 but only 26 bytes");
        assertThat(truncated.view().ipv4()).isPresent();
        assertThat(Packet.ipv4("10.0.0.1", "10.0.0.2").tcp(1, 2).dataOffset(15).build().view().problem())
                .hasValueSatisfying(s -> assertThat(s).startsWith("TCP header with data offset 15 truncated"));
        assertThat(Packet.of(new byte[5]).view().problem()).hasValueSatisfying(s -> assertThat(s).contains("Ethernet"));
    }

    @Test
    void packetsAreValues() {
        Packet p = Packet.ether(A, B).ipv4("10.0.0.1", "10.0.0.2").udp(1, 2).payload(new byte[] {7}).build();
        byte[] b = p.bytes();
        b[0] = 9;
        assertThat(p.bytes()[0]).isEqualTo((byte) 2);
        assertThat(p).isEqualTo(Packet.of(p.bytes())).hasSameHashCodeAs(Packet.of(p.bytes()));
        assertThat(p.withBytes(0, (byte) 9)).isNotEqualTo(p);
        assertThat(p.toString()).isEqualTo(
                "Ethernet 02:00:00:00:00:01 > 02:00:00:00:00:02 / IPv4 10.0.0.1 > 10.0.0.2 / UDP 1 > 2 / 1 bytes");
    }

    @Test
    void badArgumentsAreRejectedWithClearMessages() {
        assertThatThrownBy(() -> Packet.ether("nope", B)).hasMessage("not a MAC address: \"nope\"");
        assertThatThrownBy(() -> Packet.ipv4("10.0.0.256", "10.0.0.1")).hasMessage("not an IPv4 address: \"10.0.0.256\"");
        assertThatThrownBy(() -> Packet.ipv6("10.0.0.1", "::1")).hasMessage("not an IPv6 address: \"10.0.0.1\"");
        assertThatThrownBy(() -> Packet.ether(A, B).vlan(4096)).hasMessage("VLAN id must be in [0, 4095]: 4096");
        var eth = Packet.ether(A, B);
        eth.ipv4("10.0.0.1", "10.0.0.2");
        assertThatThrownBy(() -> eth.ipv6("::1", "::2")).isInstanceOf(IllegalStateException.class)
                .hasMessage("Ethernet already carries IPv4");
    }
}
