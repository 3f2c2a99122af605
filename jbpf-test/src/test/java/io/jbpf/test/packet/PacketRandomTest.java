package io.jbpf.test.packet;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.test.packet.internal.Addresses;
import java.net.InetAddress;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PacketRandomTest {
    private static final long SEED = 0x5eed_0005L;

    @Test
    void randomPacketsParseBackToWhatTheyWereBuiltFrom() throws Exception {
        Random r = new Random(SEED);
        for (int i = 0; i < 2000; i++) {
            RandomPackets.Spec s = RandomPackets.next(r);
            PacketView v = s.packet().view();
            String why = "packet " + i + " (seed " + SEED + "): " + s.packet().hex();
            assertThat(v.problem()).as(why).isEmpty();
            assertThat(v.checksumErrors()).as(why).isEmpty();
            assertThat(v.ethernet().orElseThrow().vlanTags()).as(why).hasSize(s.vlans());
            if (s.v6()) {
                PacketView.Ipv6 ip = v.ipv6().orElseThrow();
                assertThat(ip.source()).as(why).isEqualTo(InetAddress.getByAddress(Addresses.ipv6(s.src())));
                assertThat(ip.destination()).as(why).isEqualTo(InetAddress.getByAddress(Addresses.ipv6(s.dst())));
                assertThat(ip.hopLimit()).as(why).isEqualTo(s.ttl());
            } else {
                PacketView.Ipv4 ip = v.ipv4().orElseThrow();
                assertThat(ip.source().getHostAddress()).as(why).isEqualTo(s.src());
                assertThat(ip.destination().getHostAddress()).as(why).isEqualTo(s.dst());
                assertThat(ip.ttl()).as(why).isEqualTo(s.ttl());
            }
            switch (s.l4()) {
                case 0 -> {
                    PacketView.Tcp t = v.tcp().orElseThrow();
                    assertThat(t.sourcePort()).as(why).isEqualTo(s.sport());
                    assertThat(t.destinationPort()).as(why).isEqualTo(s.dport());
                    assertThat(t.flags()).as(why).isEqualTo(s.flags());
                    assertThat(t.sequence()).as(why).isEqualTo(s.seq());
                }
                case 1 -> {
                    PacketView.Udp u = v.udp().orElseThrow();
                    assertThat(u.sourcePort()).as(why).isEqualTo(s.sport());
                    assertThat(u.destinationPort()).as(why).isEqualTo(s.dport());
                    assertThat(u.length()).as(why).isEqualTo(8 + s.payloadLength());
                }
                default -> {
                    PacketView.Icmp c = (s.v6() ? v.icmpv6() : v.icmp()).orElseThrow();
                    assertThat(c.identifier()).as(why).isEqualTo(s.sport());
                    assertThat(c.sequence()).as(why).isEqualTo(s.dport());
                }
            }
            assertThat(v.payload()).as(why).hasSize(s.payloadLength());
        }
    }

    /** Flipping any one byte that a checksum covers makes the packet fail verification. */
    @Test
    void everySingleByteChangeUnderAChecksumIsDetected() {
        Random r = new Random(SEED + 1);
        for (int i = 0; i < 200; i++) {
            Packet p = RandomPackets.next(r).packet();
            PacketView v = p.view();
            assertThat(v.checksumsValid()).isTrue();
            byte[] b = p.bytes();
            for (int off = 0; off < b.length; off++) {
                if (!covered(v, off)) {
                    continue;
                }
                int mask = 1 + r.nextInt(255);
                Packet bad = p.withBytes(off, (byte) (b[off] ^ mask));
                assertThat(bad.view().checksumsValid())
                        .as("packet %s with byte %d xor 0x%02x: %s", p.hex(), off, mask, bad.view())
                        .isFalse();
            }
        }
    }

    /** Whether a checksum covers byte {@code off} of the packet {@code v} was parsed from. */
    private static boolean covered(PacketView v, int off) {
        int l4 = v.tcp().map(PacketView.Tcp::offset).or(() -> v.udp().map(PacketView.Udp::offset))
                .or(() -> v.icmp().map(PacketView.Icmp::offset)).or(() -> v.icmpv6().map(PacketView.Icmp::offset))
                .orElseThrow();
        if (v.ipv4().isPresent()) {
            PacketView.Ipv4 ip = v.ipv4().get();
            return off >= ip.offset() && off < ip.offset() + ip.totalLength();
        }
        PacketView.Ipv6 ip = v.ipv6().orElseThrow();
        int end = ip.offset() + 40 + ip.payloadLength();
        // the addresses (pseudo-header) and the upper layer; not version, class, label, hop limit, extensions
        return off >= ip.offset() + 8 && off < ip.offset() + 40 || off >= l4 && off < end;
    }
}
