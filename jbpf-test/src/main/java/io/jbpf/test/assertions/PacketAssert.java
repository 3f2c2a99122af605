package io.jbpf.test.assertions;

import io.jbpf.test.packet.MacAddress;
import io.jbpf.test.packet.Packet;
import io.jbpf.test.packet.PacketView;
import io.jbpf.test.packet.internal.Addresses;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a {@link Packet}'s fields, parsed with {@link PacketView}; messages show the
 * packet's layers. Get one from {@link io.jbpf.test.BpfAssertions#assertThat(Packet)} or
 * {@link RunOutcomeAssert#packet()}.
 */
public class PacketAssert extends AbstractAssert<PacketAssert, Packet> {

    public PacketAssert(Packet actual) {
        super(actual, PacketAssert.class);
    }

    /** Every checksum the packet carries (IPv4 header, TCP, UDP, ICMP) is right, and it parses. */
    public PacketAssert hasValidChecksums() {
        isNotNull();
        PacketView v = actual.view();
        if (!v.checksumsValid()) {
            failWithMessage("expected valid checksums, but %s%n  packet: %s", v.problem().map(p -> "it is malformed: " + p)
                    .orElse(String.join("; ", v.checksumErrors())), actual);
        }
        return this;
    }

    /** The packet is {@code expected} bytes long. */
    public PacketAssert hasLength(int expected) {
        isNotNull();
        if (actual.length() != expected) {
            failWithMessage("expected a packet of %d bytes, but it has %d: %s", expected, actual.length(), actual);
        }
        return this;
    }

    /** The packet has the same bytes as {@code expected}. */
    public PacketAssert hasSameBytesAs(Packet expected) {
        isNotNull();
        if (!Arrays.equals(actual.bytes(), expected.bytes())) {
            failWithMessage("expected the same bytes as the expected packet, but they differ%n%s",
                    RunOutcomeAssert.difference(expected, actual).replace("before", "expected").replace("after ", "actual")
                            .replace("after", "actual"));
        }
        return this;
    }

    /** The Ethernet source address is {@code mac} ({@code "02:00:00:00:00:01"}). */
    public PacketAssert hasEthernetSource(String mac) {
        return field("Ethernet source", ethernet(PacketView.Ethernet::source), MacAddress.of(mac));
    }

    /** The Ethernet destination address is {@code mac}. */
    public PacketAssert hasEthernetDestination(String mac) {
        return field("Ethernet destination", ethernet(PacketView.Ethernet::destination), MacAddress.of(mac));
    }

    /** The IPv4 source address is {@code address} ({@code "10.0.0.1"}). */
    public PacketAssert hasIpv4Source(String address) {
        return field("IPv4 source", ipv4(h -> h.source().getHostAddress()), ipv4Text(address));
    }

    /** The IPv4 destination address is {@code address}. */
    public PacketAssert hasIpv4Destination(String address) {
        return field("IPv4 destination", ipv4(h -> h.destination().getHostAddress()), ipv4Text(address));
    }

    /** The IPv4 TTL is {@code expected}. */
    public PacketAssert hasTtl(int expected) {
        return field("IPv4 TTL", ipv4(PacketView.Ipv4::ttl), expected);
    }

    /** The IPv4 protocol is {@code expected} (6 TCP, 17 UDP, 1 ICMP). */
    public PacketAssert hasIpProtocol(int expected) {
        return field("IPv4 protocol", ipv4(PacketView.Ipv4::protocol), expected);
    }

    /** The IPv6 hop limit is {@code expected}. */
    public PacketAssert hasHopLimit(int expected) {
        isNotNull();
        return field("IPv6 hop limit", layer("an IPv6 header", actual.view().ipv6()).map(PacketView.Ipv6::hopLimit),
                expected);
    }

    /** The TCP source port is {@code expected}. */
    public PacketAssert hasTcpSourcePort(int expected) {
        return field("TCP source port", tcp(PacketView.Tcp::sourcePort), expected);
    }

    /** The TCP destination port is {@code expected}. */
    public PacketAssert hasTcpDestinationPort(int expected) {
        return field("TCP destination port", tcp(PacketView.Tcp::destinationPort), expected);
    }

    /** The UDP source port is {@code expected}. */
    public PacketAssert hasUdpSourcePort(int expected) {
        return field("UDP source port", udp(PacketView.Udp::sourcePort), expected);
    }

    /** The UDP destination port is {@code expected}. */
    public PacketAssert hasUdpDestinationPort(int expected) {
        return field("UDP destination port", udp(PacketView.Udp::destinationPort), expected);
    }

    /** The parsed layers, for checks this class has no method for. */
    public PacketView view() {
        isNotNull();
        return actual.view();
    }

    private <T> Optional<T> ethernet(Function<PacketView.Ethernet, T> f) {
        isNotNull();
        return layer("an Ethernet header", actual.view().ethernet()).map(f);
    }

    private <T> Optional<T> ipv4(Function<PacketView.Ipv4, T> f) {
        isNotNull();
        return layer("an IPv4 header", actual.view().ipv4()).map(f);
    }

    private <T> Optional<T> tcp(Function<PacketView.Tcp, T> f) {
        isNotNull();
        return layer("a TCP header", actual.view().tcp()).map(f);
    }

    private <T> Optional<T> udp(Function<PacketView.Udp, T> f) {
        isNotNull();
        return layer("a UDP header", actual.view().udp()).map(f);
    }

    private <T> Optional<T> layer(String what, Optional<T> layer) {
        if (layer.isEmpty()) {
            failWithMessage("expected %s, but the packet has none: %s", what, actual);
        }
        return layer;
    }

    private PacketAssert field(String what, Optional<?> value, Object expected) {
        Object got = value.orElseThrow();
        if (!got.equals(expected)) {
            failWithMessage("expected %s %s, but it is %s%n  packet: %s", what, expected, got, actual);
        }
        return this;
    }

    private static String ipv4Text(String address) {
        byte[] b = Addresses.ipv4(address);
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
}
