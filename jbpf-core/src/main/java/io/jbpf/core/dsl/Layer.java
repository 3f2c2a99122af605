package io.jbpf.core.dsl;

/**
 * The headers a packet program can read. A header is <em>present</em> when the parser found it
 * at its place and the packet holds at least {@link #minLength()} bytes of it; a comparison on a
 * field of an absent header is false (so {@code not} of it is true), as in pcap filters.
 */
public enum Layer {
    /** Ethernet II: destination, source, EtherType (14 bytes, always at the start of the frame). */
    ETHERNET(14),
    /** The outer 802.1Q/802.1ad tag (TPID 0x8100, 0x88a8 or 0x9100): 4 bytes after the MAC addresses, TCI then EtherType. */
    VLAN(4),
    /** The inner tag of a QinQ frame. */
    VLAN_INNER(4),
    /** ARP for Ethernet and IPv4 (28 bytes). */
    ARP(28),
    /** IPv4: 20 bytes; options (IHL above 5) come before the transport header. */
    IPV4(20),
    /** IPv6: the 40-byte fixed header. */
    IPV6(40),
    /** The IPv6 fragment extension header (8 bytes), when the extension header walk met one. */
    IPV6_FRAGMENT(8),
    /** TCP: 20 bytes. Present only in the first fragment of an IP packet. */
    TCP(20),
    /** UDP: 8 bytes. */
    UDP(8),
    /** ICMP (IPv4 protocol 1): the 8-byte header. */
    ICMP(8),
    /** ICMPv6 (IPv6 next header 58): the 8-byte header. */
    ICMPV6(8),
    /** SCTP: the 12-byte common header. */
    SCTP(12);

    private final int minLength;

    Layer(int minLength) {
        this.minLength = minLength;
    }

    /** The bytes of this header the parser checks are in the packet, once. */
    public int minLength() {
        return minLength;
    }

    /** Whether this is a transport (L4) header. */
    public boolean isTransport() {
        return ordinal() >= TCP.ordinal();
    }

    /** Whether this is a network (L3) header (IPv4, IPv6, ARP, IPv6 fragment). */
    public boolean isNetwork() {
        return this == ARP || this == IPV4 || this == IPV6 || this == IPV6_FRAGMENT;
    }
}
