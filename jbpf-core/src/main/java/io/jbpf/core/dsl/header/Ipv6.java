package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.AddressField;
import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The IPv6 fixed header, and the fragment header the parser meets while it walks the extension headers (hop-by-hop, routing, fragment, destination options, AH: at most the limit the program sets).
 */
public final class Ipv6 {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.ipv6()}). */
    public static final Ipv6 INSTANCE = new Ipv6();

    private Ipv6() {}

    /** The packet has this header (see {@link Layer#IPV6}). */
    public Match present() {
        return Match.present(Layer.IPV6);
    }

    /** The version (6 in a well-formed header). */
    public Field version() {
        return Field.bits(Layer.IPV6, "ipv6.version", 0, 1, 0xf, 4);
    }

    /** The traffic class. */
    public Field trafficClass() {
        return Field.bits(Layer.IPV6, "ipv6.trafficClass", 0, 2, 0xff, 4);
    }

    /** The flow label (20 bits). */
    public Field flowLabel() {
        return Field.bits(Layer.IPV6, "ipv6.flowLabel", 0, 4, 0xfffff, 0);
    }

    /** The payload length. */
    public Field payloadLength() {
        return Field.of(Layer.IPV6, "ipv6.payloadLength", 4, 2);
    }

    /** The next header of the fixed header (the first extension header or the transport protocol). */
    public Field nextHeader() {
        return Field.of(Layer.IPV6, "ipv6.nextHeader", 6, 1);
    }

    /** The hop limit. */
    public Field hopLimit() {
        return Field.of(Layer.IPV6, "ipv6.hopLimit", 7, 1);
    }

    /** The source address. */
    public AddressField src() {
        return new AddressField(Layer.IPV6, "ipv6.src", 8, 16);
    }

    /** The destination address. */
    public AddressField dst() {
        return new AddressField(Layer.IPV6, "ipv6.dst", 24, 16);
    }

    /** The packet has a fragment header. */
    public Match isFragment() {
        return Match.present(Layer.IPV6_FRAGMENT);
    }

    /** The fragment offset of the fragment header, in 8-byte units. */
    public Field fragmentOffset() {
        return Field.bits(Layer.IPV6_FRAGMENT, "ipv6.fragmentOffset", 2, 2, 0x1fff, 3);
    }

    /** The M flag of the fragment header. */
    public Field moreFragments() {
        return Field.bits(Layer.IPV6_FRAGMENT, "ipv6.moreFragments", 2, 2, 0x1, 0);
    }

    /** The identification of the fragment header. */
    public Field fragmentId() {
        return Field.of(Layer.IPV6_FRAGMENT, "ipv6.fragmentId", 4, 4);
    }

    /** Either address is in the prefixes. */
    public Match host(String... prefixes) {
        return src().in(prefixes).or(dst().in(prefixes));
    }
}
