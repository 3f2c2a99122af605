/**
 * A Java DSL for packet programs: {@link io.jbpf.core.dsl.PacketProgram} rules of
 * {@link io.jbpf.core.dsl.Match}es over header fields and {@link io.jbpf.core.dsl.Action}s,
 * compiled to eBPF for XDP, TC or socket filters ({@link io.jbpf.core.dsl.Target}) that the verifier
 * accepts as generated. Start from {@link io.jbpf.core.dsl.Dsl}.
 *
 * <pre>{@code
 * import static io.jbpf.core.dsl.Dsl.*;
 *
 * PacketProgram p = PacketProgram.forTarget(Target.XDP)
 *         .when(ipv4().src().in(cidrs("10.0.0.0/8")).and(tcp().dstPort().between(80, 90)))
 *         .then(countPerCpu("hits"), drop())
 *         .otherwise(pass())
 *         .build();
 * p.programSpec();                                      // the eBPF, map references by name
 * p.maps(); p.mapEntries();                             // the maps it needs and what they start with
 * try (KernelPacketProgram k = p.load()) { ... }        // in the kernel
 * VmPacketProgram vm = p.loadVm(Vm.create());           // in jbpf's VM, same code, same maps
 * }</pre>
 *
 * <h2>How a program reads the packet</h2>
 * The program parses the headers its rules (and fragments) read, and only those:
 * Ethernet, up to two VLAN tags, then IPv4 (the transport header found through IHL, none in later
 * fragments or behind an IHL below 5), IPv6 (a walk over at most
 * {@link io.jbpf.core.dsl.PacketProgram.Builder#ipv6ExtensionHeaders n} extension headers, none
 * in later fragments) or ARP, then TCP, UDP, ICMP, ICMPv6 or SCTP. Each header found is checked
 * once against the end of the packet and kept (as a pointer in a register or on the stack, or on a
 * socket filter as a copy made with {@code bpf_skb_load_bytes_relative}); rules then read fields
 * without further checks. On XDP and TC a program of a few rules made of the DSL's own matches and
 * actions parses lazily: a header is looked for just before the first test that reads it, the
 * terms of an {@code and} are tested outer headers first, and a packet that fails a test is not
 * parsed further (like hand-written C); other programs parse every header at their start. A header the packet does not have, or not whole, is <em>absent</em>: comparisons on its
 * fields are false, so {@code not} of them is true, as in pcap filters. Fields are read in network
 * order; equality tests compare with byte-swapped constants, ranges swap the field once.
 *
 * <h2>Rules and actions</h2>
 * Rules are tried in order; {@code and}/{@code or}/{@code not} become branches (short-circuit,
 * no truth values in registers). A rule whose actions end with a verdict ends the program; other
 * actions (counting, sampling, tail calls, code) go on to the next rule. The default actions of
 * {@link io.jbpf.core.dsl.PacketProgram.Builder#otherwise} end it (pass when none is given).
 * Address sets of up to {@link io.jbpf.core.dsl.Cidrs#INLINE_LIMIT} prefixes are compared inline;
 * larger ones are one lookup in an LPM trie the program declares and fills when it is loaded.
 *
 * <h2>Extension points</h2>
 * Code compiled elsewhere (classic BPF, pcap filters, NAT and load-balancing blocks) plugs in as a
 * {@link io.jbpf.core.dsl.CodePredicate} (a condition that jumps to a match or a no-match label) or
 * a {@link io.jbpf.core.dsl.CodeAction}; both get an {@link io.jbpf.core.dsl.Emitter} and follow
 * the register contract described on {@link io.jbpf.core.dsl.CodePredicate}. Maps can be shared
 * between programs with {@link io.jbpf.core.dsl.PacketProgram#load(java.util.Map)}.
 */
package io.jbpf.core.dsl;
