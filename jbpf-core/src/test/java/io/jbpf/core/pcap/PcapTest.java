package io.jbpf.core.pcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PcapTest {
    private static final List<PcapRecord> RECORDS = List.of(
            PcapRecord.of(Instant.ofEpochSecond(1_700_000_000L, 123_456_789), new byte[] {1, 2, 3}),
            PcapRecord.of(Instant.ofEpochSecond(1_700_000_001L, 0), new byte[0]),
            new PcapRecord(Instant.ofEpochSecond(4_000_000_000L, 999_999_000), 1500, new byte[60]));

    private static byte[] write(PcapHeader header, List<PcapRecord> records) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PcapWriter w = PcapWriter.open(out, header)) {
            records.forEach(w::write);
        }
        return out.toByteArray();
    }

    private static List<PcapRecord> read(byte[] file) throws IOException {
        try (PcapReader r = PcapReader.open(new ByteArrayInputStream(file))) {
            return r.readAll();
        }
    }

    @ParameterizedTest
    @CsvSource({"LITTLE_ENDIAN,false", "LITTLE_ENDIAN,true", "BIG_ENDIAN,false", "BIG_ENDIAN,true"})
    void roundTripsInEitherByteOrderAndResolution(String order, boolean nanos) throws IOException {
        ByteOrder bo = order.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        PcapHeader header = PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET).withByteOrder(bo).withNanosecond(nanos);
        byte[] file = write(header, RECORDS);
        try (PcapReader r = PcapReader.open(new ByteArrayInputStream(file))) {
            assertThat(r.header()).isEqualTo(header);
            List<PcapRecord> back = r.readAll();
            assertThat(back).hasSize(3);
            for (int i = 0; i < 3; i++) {
                PcapRecord want = RECORDS.get(i);
                assertThat(back.get(i).data()).isEqualTo(want.data());
                assertThat(back.get(i).originalLength()).isEqualTo(want.originalLength());
                Instant ts = want.timestamp();
                Instant expected = nanos ? ts : ts.minusNanos(ts.getNano() % 1000);
                assertThat(back.get(i).timestamp()).isEqualTo(expected);
            }
        }
    }

    @Test
    void readsAKnownLittleEndianMicrosecondFile() throws IOException {
        // as tcpdump -w writes it on x86: d4 c3 b2 a1, version 2.4, snaplen 262144, Ethernet
        byte[] file = HexFormat.of().parseHex("d4c3b2a1" + "0200" + "0400" + "00000000" + "00000000" + "00000400"
                + "01000000" + "10000000" + "20000000" + "02000000" + "04000000" + "cafe");
        List<PcapRecord> records = read(file);
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.timestamp()).isEqualTo(Instant.ofEpochSecond(16, 32_000));
            assertThat(r.capturedLength()).isEqualTo(2);
            assertThat(r.originalLength()).isEqualTo(4);
            assertThat(r.truncated()).isTrue();
            assertThat(r.data()).containsExactly(0xca, 0xfe);
        });
    }

    @Test
    void cutsRecordsToTheSnapLength() throws IOException {
        byte[] file = write(PcapHeader.of(PcapHeader.LINKTYPE_RAW).withSnapLength(2), RECORDS.subList(0, 1));
        PcapRecord r = read(file).get(0);
        assertThat(r.data()).containsExactly(1, 2);
        assertThat(r.originalLength()).isEqualTo(3);
    }

    @Test
    void reportsMalformedFilesWithTheirOffset() throws IOException {
        byte[] good = write(PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), RECORDS);
        assertThatThrownBy(() -> read(new byte[] {1, 2, 3, 4, 5, 6})).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("magic 0x01020304");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 10))).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("global header truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 24 + 10))).isInstanceOf(PcapFormatException.class)
                .hasMessageContaining("record header truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(good, 24 + 16 + 1)))
                .isInstanceOfSatisfying(PcapFormatException.class, e -> assertThat(e.offset()).isEqualTo(41))
                .hasMessageContaining("record data truncated: 1 of 3 bytes");
        assertThatThrownBy(() -> read(HexFormat.of().parseHex("0a0d0d0a000000000000000000000000")))
                .hasMessageContaining("pcapng");
    }

    @Test
    void writesAndReadsFiles(@TempDir Path dir) {
        Path f = dir.resolve("x.pcap");
        PcapWriter.writeAll(f, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET).withNanosecond(true), RECORDS);
        assertThat(PcapReader.readAll(f)).isEqualTo(RECORDS);
    }

    @Test
    void recordsAreImmutable() {
        byte[] data = {1, 2};
        PcapRecord r = PcapRecord.of(Instant.EPOCH, data);
        data[0] = 9;
        r.data()[1] = 9;
        assertThat(r.data()).containsExactly(1, 2);
        assertThatThrownBy(() -> new PcapRecord(Instant.EPOCH, 1, data)).isInstanceOf(IllegalArgumentException.class);
    }
}
