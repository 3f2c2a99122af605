package io.jbpf.maps.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The primitive, byte-array and address codecs. */
class CodecsTest {
    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void networkOrderIsBigEndianAndHostOrderIsNative() {
        assertThat(hex(Codecs.u16(Codecs.NETWORK).encode(0x1234))).isEqualTo("1234");
        assertThat(hex(Codecs.u32(Codecs.NETWORK).encode(0x01020304))).isEqualTo("01020304");
        assertThat(hex(Codecs.u64(Codecs.NETWORK).encode(0x0102030405060708L))).isEqualTo("0102030405060708");
        boolean little = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
        assertThat(hex(Codecs.u16().encode(0x1234))).isEqualTo(little ? "3412" : "1234");
        assertThat(hex(Codecs.u32().encode(0x01020304))).isEqualTo(little ? "04030201" : "01020304");
    }

    @Test
    void unsignedAndSignedRanges() {
        assertThat(Codecs.u8().decode(new byte[] {(byte) 0xFF})).isEqualTo(255);
        assertThat(Codecs.s8().decode(new byte[] {(byte) 0xFF})).isEqualTo(-1);
        assertThat(Codecs.u16().decode(Codecs.u16().encode(65535))).isEqualTo(65535);
        assertThat(Codecs.s16().decode(Codecs.s16().encode(-32768))).isEqualTo(-32768);
        assertThat(Codecs.u32AsLong().decode(Codecs.u32AsLong().encode(0xFFFF_FFFFL))).isEqualTo(0xFFFF_FFFFL);
        assertThat(Codecs.s32().decode(Codecs.s32().encode(-5))).isEqualTo(-5);
        assertThat(Codecs.s64().decode(Codecs.s64().encode(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThatThrownBy(() -> Codecs.u8().encode(256)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Codecs.u16().encode(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Codecs.s16().encode(40000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Codecs.u32().encode(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
        assertThatThrownBy(() -> Codecs.u32AsLong().encode(1L << 32)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Codecs.u32().decode(new byte[3])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("decodes 4 bytes, not 3");
    }

    @Test
    void bytesAndAddresses() throws Exception {
        assertThat(Codecs.bytes(3).decode(Codecs.bytes(3).encode(new byte[] {1, 2, 3}))).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Codecs.bytes(3).encode(new byte[2])).isInstanceOf(IllegalArgumentException.class);
        Inet4Address a = (Inet4Address) InetAddress.getByName("10.1.2.3");
        assertThat(hex(Codecs.ipv4().encode(a))).isEqualTo("0a010203");
        assertThat(Codecs.ipv4().decode(Codecs.ipv4().encode(a))).isEqualTo(a);
        Inet6Address six = (Inet6Address) InetAddress.getByName("2001:db8::1");
        assertThat(hex(Codecs.ipv6().encode(six))).isEqualTo("20010db8000000000000000000000001");
        assertThat(Codecs.ipv6().decode(Codecs.ipv6().encode(six))).isEqualTo(six);
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xFF;
        mapped[11] = (byte) 0xFF;
        mapped[15] = 1;
        assertThat(Codecs.ipv6().decode(mapped)).as("an IPv4-mapped address stays an Inet6Address")
                .isInstanceOf(Inet6Address.class);
    }
}
