package io.jbpf.test.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Built packets through a pcap file and back, in each byte order and timestamp resolution. */
class PacketPcapTest {
    @TempDir
    Path dir;

    @Test
    void builtPacketsRoundTripThroughPcap() {
        Random r = new Random(3);
        List<Packet> packets = new ArrayList<>();
        List<PcapRecord> records = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Packet p = RandomPackets.next(r).packet();
            packets.add(p);
            records.add(p.toPcapRecord(Instant.ofEpochSecond(1_700_000_000L + i, 1000L * i)));
        }
        for (ByteOrder order : new ByteOrder[] {ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN}) {
            for (boolean nanos : new boolean[] {false, true}) {
                Path f = dir.resolve("rt-" + order + nanos + ".pcap");
                PcapHeader header = PcapHeader.of(LinkLayer.ETHERNET.pcapLinkType()).withByteOrder(order).withNanosecond(nanos);
                PcapWriter.writeAll(f, header, records);
                List<PcapRecord> back = PcapReader.readAll(f);
                assertThat(back).isEqualTo(records);
                for (int i = 0; i < back.size(); i++) {
                    Packet p = Packet.of(header.linkType(), back.get(i));
                    assertThat(p).isEqualTo(packets.get(i));
                    assertThat(p.view().checksumsValid()).isTrue();
                }
            }
        }
    }
}
