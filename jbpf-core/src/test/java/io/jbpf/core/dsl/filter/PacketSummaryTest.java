package io.jbpf.core.dsl.filter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacketSummaryTest {
    private static byte[] hex(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return b;
    }

    @Test
    void summarizesCommonFrames() {
        assertThat(PacketSummary.of(hex("0200000000020200000000010800450000280001000040066" + "6cc0a0000010a000002"
                + "9c40005000000001000000005012ffff00000000")))
                .isEqualTo("IP 10.0.0.1.40000 > 10.0.0.2.80: tcp 0 [S.]");
        assertThat(PacketSummary.of(hex("0200000000020200000000018100000a86dd6000000000083a40"
                + "20010db8000000000000000000000001" + "20010db8000000000000000000000002" + "8000000000010002")))
                .isEqualTo("vlan 10 IP6 2001:db8::1 > 2001:db8::2: ICMP6 echo request, length 8");
        assertThat(PacketSummary.of(hex("ffffffffffff0200000000010806000108000604000102000000000" + "10a000001"
                + "0000000000000a000002"))).isEqualTo("ARP who-has 10.0.0.2 tell 10.0.0.1");
        assertThat(PacketSummary.of(hex("0200000000020200"))).startsWith("truncated ethernet header");
        assertThat(PacketSummary.of(hex("02000000000202000000000108004500002800010000400666cc0a00"))).startsWith("truncated");
        assertThat(PacketSummary.of(hex("020000000002020000000001123400"))).isEqualTo("ethertype 0x1234, length 15");
    }
}
