package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.AddressField;
import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The IPv4 header. The transport header after it is found through IHL (options are skipped); it is present only in the first fragment, as in pcap filters.
 */
public final class Ipv4 {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.ipv4()}). */
    public static final Ipv4 INSTANCE = new Ipv4();

    private Ipv4() {}

    /** The packet has this header (see {@link Layer#IPV4}). */
    public Match present() {
        return Match.present(Layer.IPV4);
    }

    /** The version (4 in a well-formed header). */
    public Field version() {
        return Field.bits(Layer.IPV4, "ipv4.version", 0, 1, 0xf, 4);
    }

    /** The header length in 32-bit words (5 without options). */
    public Field ihl() {
        return Field.bits(Layer.IPV4, "ipv4.ihl", 0, 1, 0xf, 0);
    }

    /** The type of service byte. */
    public Field tos() {
        return Field.of(Layer.IPV4, "ipv4.tos", 1, 1);
    }

    /** The differentiated services code point. */
    public Field dscp() {
        return Field.bits(Layer.IPV4, "ipv4.dscp", 1, 1, 0x3f, 2);
    }

    /** The ECN bits. */
    public Field ecn() {
        return Field.bits(Layer.IPV4, "ipv4.ecn", 1, 1, 0x3, 0);
    }

    /** The total length. */
    public Field totalLength() {
        return Field.of(Layer.IPV4, "ipv4.totalLength", 2, 2);
    }

    /** The identification. */
    public Field id() {
        return Field.of(Layer.IPV4, "ipv4.id", 4, 2);
    }

    /** The three flag bits (reserved, DF, MF). */
    public Field flags() {
        return Field.bits(Layer.IPV4, "ipv4.flags", 6, 2, 0x7, 13);
    }

    /** The DF flag. */
    public Field dontFragment() {
        return Field.bits(Layer.IPV4, "ipv4.dontFragment", 6, 2, 0x1, 14);
    }

    /** The MF flag. */
    public Field moreFragments() {
        return Field.bits(Layer.IPV4, "ipv4.moreFragments", 6, 2, 0x1, 13);
    }

    /** The fragment offset in 8-byte units. */
    public Field fragmentOffset() {
        return Field.bits(Layer.IPV4, "ipv4.fragmentOffset", 6, 2, 0x1fff, 0);
    }

    /** The time to live. */
    public Field ttl() {
        return Field.of(Layer.IPV4, "ipv4.ttl", 8, 1);
    }

    /** The protocol number (6 TCP, 17 UDP, 1 ICMP, 132 SCTP). */
    public Field protocol() {
        return Field.of(Layer.IPV4, "ipv4.protocol", 9, 1);
    }

    /** The header checksum. */
    public Field checksum() {
        return Field.of(Layer.IPV4, "ipv4.checksum", 10, 2);
    }

    /** The source address. */
    public AddressField src() {
        return new AddressField(Layer.IPV4, "ipv4.src", 12, 4);
    }

    /** The destination address. */
    public AddressField dst() {
        return new AddressField(Layer.IPV4, "ipv4.dst", 16, 4);
    }

    /** The packet is a fragment: MF set or a fragment offset other than 0. */
    public Match isFragment() {
        return Field.bits(Layer.IPV4, "ipv4.fragment", 6, 2, 0x3fff, 0).anySet(0x3fff);
    }

    /** The header has options (IHL above 5). */
    public Match hasOptions() {
        return ihl().gt(5);
    }

    /** Either address is in the prefixes. */
    public Match host(String... prefixes) {
        return src().in(prefixes).or(dst().in(prefixes));
    }
}
