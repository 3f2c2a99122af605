/**
 * The classic libpcap file format: {@link io.jbpf.core.pcap.PcapReader} reads files of either byte
 * order with microsecond or nanosecond timestamps, {@link io.jbpf.core.pcap.PcapWriter} writes
 * them. Pure Java, no system calls (pcapng is not supported).
 */
package io.jbpf.core.pcap;
