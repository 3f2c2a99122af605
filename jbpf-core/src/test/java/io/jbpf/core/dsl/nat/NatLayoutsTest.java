package io.jbpf.core.dsl.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The C layouts of the NAT structs, byte by byte, and their round trips. */
class NatLayoutsTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void endpointIsAddressPortPadInNetworkOrder() {
        Endpoint e = Endpoint.of("10.1.2.3", 0x1f90);
        assertThat(HEX.formatHex(e.toBytes())).isEqualTo("0a0102031f900000");
        assertThat(Endpoint.decode(e.toBytes(), 0)).isEqualTo(e);
        assertThat(e).hasToString("10.1.2.3:8080");
    }

    @Test
    void flowKeyIsTheFiveTupleAsInThePacket() {
        FlowKey k = new FlowKey(Endpoint.of("192.168.0.1", 1234), Endpoint.of("10.0.0.9", 80), Protocol.TCP);
        assertThat(HEX.formatHex(k.toBytes())).isEqualTo("c0a800010a00000904d2005006000000");
        assertThat(FlowKey.decode(k.toBytes(), 0)).isEqualTo(k);
        assertThat(k.reversed().source()).isEqualTo(k.destination());
    }

    @Test
    void flowHashMixesEveryField() {
        FlowKey k = new FlowKey(Endpoint.of("192.168.0.1", 1234), Endpoint.of("10.0.0.9", 80), Protocol.TCP);
        int h = FlowHash.of(k);
        assertThat(FlowHash.of(new FlowKey(Endpoint.of("192.168.0.2", 1234), k.destination(), Protocol.TCP))).isNotEqualTo(h);
        assertThat(FlowHash.of(new FlowKey(k.source(), Endpoint.of("10.0.0.9", 81), Protocol.TCP))).isNotEqualTo(h);
        assertThat(FlowHash.of(new FlowKey(k.source(), k.destination(), Protocol.UDP))).isNotEqualTo(h);
        assertThat(FlowHash.of(k)).isEqualTo(h);
    }

    @Test
    void natConfigLayoutAndChecks() {
        NatConfig c = NatConfig.of("203.0.113.1", "10.0.0.0/8", 1024, 2047);
        byte[] b = c.toBytes();
        assertThat(HEX.formatHex(b, 0, 12)).isEqualTo("cb0071010a000000ff000000");
        assertThat(b.length).isEqualTo(NatConfig.SIZE);
        assertThatThrownBy(() -> new NatConfig(1, 0, 0xff00ff00, 1, 2)).hasMessageContaining("not a prefix mask");
        assertThatThrownBy(() -> NatConfig.of("1.2.3.4", "10.0.0.0", 1, 2)).hasMessageContaining("not address/length");
        assertThatThrownBy(() -> NatConfig.of("1.2.3", "10.0.0.0/8", 1, 2)).hasMessageContaining("'1.2.3'");
    }

    @Test
    void addressesParseAndPrint() {
        assertThat(Ipv4.parse("255.0.10.1")).isEqualTo(0xff000a01);
        assertThat(Ipv4.format(0xff000a01)).isEqualTo("255.0.10.1");
        assertThatThrownBy(() -> Ipv4.parse("1.2.3.256")).hasMessageContaining("'1.2.3.256'");
        assertThatThrownBy(() -> Ipv4.parse("1..3.4")).hasMessageContaining("'1..3.4'");
        assertThatThrownBy(() -> Protocol.of(47)).hasMessageContaining("47");
        assertThatThrownBy(() -> new Endpoint(1, 70000)).hasMessageContaining("70000");
    }
}
