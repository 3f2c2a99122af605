/**
 * The pcap-filter (tcpdump expression) compiler: {@link io.jbpf.core.dsl.filter.PcapFilter#compile}
 * turns an expression into a classic BPF program with libpcap's meaning for Ethernet frames, and
 * {@link io.jbpf.core.dsl.filter.PcapFilter#toEbpf} into eBPF (socket filter, XDP or TC) through the
 * classic-to-eBPF converter. Errors are {@link io.jbpf.core.dsl.filter.PcapFilterException}s with a
 * 1-based line and column. {@link io.jbpf.core.dsl.filter.PacketSummary} prints a frame the way
 * tcpdump's one-line output does. Compiling makes no system call and resolves no name.
 *
 * <p>{@link io.jbpf.core.dsl.filter.PcapFilter#predicate()} is the filter as a predicate of the
 * packet DSL; {@link io.jbpf.core.dsl.filter.CaptureProgram} builds with it an XDP or TC program
 * that passes every packet and sends the head of each match to a ring buffer as a
 * {@link io.jbpf.core.dsl.filter.CaptureRecord} (jbpf-maps' {@code LiveCapture} attaches it and
 * reads the records).
 */
package io.jbpf.core.dsl.filter;
