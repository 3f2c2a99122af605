/**
 * Packets for tests: fluent builders for Ethernet, 802.1Q/802.1ad VLAN tags, ARP, IPv4 (options,
 * fragments), IPv6 (extension headers), TCP (options), UDP, ICMP and ICMPv6 that fill in lengths
 * and checksums unless told otherwise ({@link io.jbpf.test.packet.Packet}), and a lenient parser
 * that reads the layers back and checks every checksum ({@link io.jbpf.test.packet.PacketView}).
 * Pcap files are read and written with {@link io.jbpf.core.pcap}.
 */
package io.jbpf.test.packet;
