package io.jbpf.maps.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Encoding and decoding records: bytes at the right places, in the right order, round trips. */
class RecordCodecTest {

    static Inet4Address v4(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void flowKeyBytesAreNetworkOrderWhereAnnotatedAndPaddingIsZero() throws Exception {
        RecordCodec<Structs.FlowKey> c = RecordCodec.of(Structs.FlowKey.class);
        byte[] b = new byte[20];
        Arrays.fill(b, (byte) 0x77);
        c.encode(new Structs.FlowKey(v4("10.0.0.1"), v4("192.168.1.2"), 443, 0x1234, (byte) 6), b, 2);
        assertThat(HexFormat.of().formatHex(b))
                .isEqualTo("7777" + "0a000001" + "c0a80102" + "01bb" + "1234" + "06" + "000000" + "7777");
        assertThat(c.decode(b, 2)).isEqualTo(new Structs.FlowKey(v4("10.0.0.1"), v4("192.168.1.2"), 443, 0x1234, (byte) 6));
    }

    @Test
    void hostOrderIsTheMachinesOrder() {
        RecordCodec<Structs.Counters> c = RecordCodec.of(Structs.Counters.class);
        byte[] b = c.encode(new Structs.Counters(0x0102030405060708L, -1, 0x0A0B0C0D));
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        assertThat(bb.getLong(0)).isEqualTo(0x0102030405060708L);
        assertThat(bb.getLong(8)).isEqualTo(-1);
        assertThat(bb.getInt(16)).isEqualTo(0x0A0B0C0D);
        assertThat(bb.getInt(20)).as("trailing padding").isZero();
    }

    @Test
    void nestedArraysFloatsAndIpv6RoundTrip() throws Exception {
        Random r = new Random(42);
        for (int i = 0; i < 200; i++) {
            Structs.Nested n = new Structs.Nested((byte) r.nextInt(), new Structs.Counters(r.nextLong(), r.nextLong(), r.nextInt()),
                    (char) r.nextInt(65536));
            assertThat(RecordCodec.of(Structs.Nested.class).decode(RecordCodec.of(Structs.Nested.class).encode(n))).isEqualTo(n);
            Structs.Floats f = new Structs.Floats(r.nextFloat(), r.nextDouble(), r.nextBoolean(), (char) r.nextInt(65536));
            assertThat(RecordCodec.of(Structs.Floats.class).decode(RecordCodec.of(Structs.Floats.class).encode(f))).isEqualTo(f);
            Structs.PackedStruct p = new Structs.PackedStruct((byte) r.nextInt(), r.nextInt(), (short) r.nextInt());
            assertThat(RecordCodec.of(Structs.PackedStruct.class).decode(RecordCodec.of(Structs.PackedStruct.class).encode(p)))
                    .isEqualTo(p);
        }
        byte[] addr = new byte[16];
        r.nextBytes(addr);
        Inet6Address a6 = (Inet6Address) InetAddress.getByAddress(addr);
        RecordCodec<Structs.V6Key> v6 = RecordCodec.of(Structs.V6Key.class);
        byte[] b = v6.encode(new Structs.V6Key(7, a6, (byte) 1));
        assertThat(Arrays.copyOfRange(b, 4, 20)).isEqualTo(addr);
        assertThat(v6.decode(b)).isEqualTo(new Structs.V6Key(7, a6, (byte) 1));

        RecordCodec<Structs.WithArrays> wa = RecordCodec.of(Structs.WithArrays.class);
        Structs.WithArrays w = new Structs.WithArrays(new short[] {1, -2, 3}, 99, new int[] {-7, 8});
        Structs.WithArrays back = wa.decode(wa.encode(w));
        assertThat(back.ports()).containsExactly((short) 1, (short) -2, (short) 3);
        assertThat(back.ids()).containsExactly(-7, 8);
        assertThat(back.x()).isEqualTo(99);
    }

    @Test
    void explicitOffsetLeavesZeroedGap() {
        byte[] b = new byte[20];
        Arrays.fill(b, (byte) 1);
        RecordCodec.of(Structs.Explicit.class).encode(new Structs.Explicit(5, 6), b, 0);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        assertThat(bb.getInt(0)).isEqualTo(5);
        assertThat(Arrays.copyOfRange(b, 4, 16)).containsOnly(0);
        assertThat(bb.getInt(16)).isEqualTo(6);
    }

    @Test
    void narrowFieldsAreRangeCheckedAndZeroExtended() {
        RecordCodec<Structs.Small> c = RecordCodec.of(Structs.Small.class);
        assertThat(c.decode(c.encode(new Structs.Small(65535, 255)))).isEqualTo(new Structs.Small(65535, 255));
        assertThatThrownBy(() -> c.encode(new Structs.Small(65536, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Small.a").hasMessageContaining("2 bytes");
        assertThatThrownBy(() -> RecordCodec.of(Structs.Mixed.class)
                .encode(new Structs.Mixed((byte) 0, 0, (short) 0, 0, new byte[4])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Mixed.e").hasMessageContaining("exactly 3");
    }

    record NoArrayLength(byte[] data) {
    }

    record Unsupported(String name) {
    }

    record Overlap(long a, @Offset(4) int b) {
    }

    record BadWidth(@Size(3) int a) {
    }

    @Test
    void badRecordsGetLayoutExceptionsNamingTheField() {
        assertThatThrownBy(() -> RecordCodec.of(NoArrayLength.class)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("NoArrayLength.data").hasMessageContaining("@Array");
        assertThatThrownBy(() -> RecordCodec.of(Unsupported.class)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("Unsupported.name").hasMessageContaining("java.lang.String");
        assertThatThrownBy(() -> RecordCodec.of(Overlap.class)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("overlaps");
        assertThatThrownBy(() -> RecordCodec.of(BadWidth.class)).isInstanceOf(LayoutException.class)
                .hasMessageContaining("@Size(3)");
    }

    @Test
    void aCallersLookupDefinesAFreshCodec() {
        RecordCodec<Structs.Counters> own = RecordCodec.of(Structs.Counters.class, java.lang.invoke.MethodHandles.lookup());
        assertThat(own).isNotSameAs(RecordCodec.of(Structs.Counters.class));
        Structs.Counters c = new Structs.Counters(1, 2, 3);
        assertThat(own.encode(c)).isEqualTo(RecordCodec.of(Structs.Counters.class).encode(c));
        assertThat(own.decode(own.encode(c))).isEqualTo(c);
        assertThat(own.layout()).isEqualTo(RecordCodec.of(Structs.Counters.class).layout());
    }

    @Test
    void codecsAreCachedPerRecord() {
        assertThat(RecordCodec.of(Structs.Counters.class)).isSameAs(RecordCodec.of(Structs.Counters.class));
        assertThat(RecordCodec.of(Structs.Counters.class).toString()).contains("Counters", "24 bytes");
    }
}
