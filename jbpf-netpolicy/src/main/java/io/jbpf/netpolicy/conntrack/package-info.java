/**
 * Connection tracking for the datapath, after Cilium's {@code bpf/lib/conntrack.h}: replies of
 * allowed connections pass, new connections are judged by policy, ICMP errors about a tracked
 * connection pass.
 * <ul>
 *   <li>{@link io.jbpf.netpolicy.conntrack.ConntrackMap}: the LRU hash of connections (key and value
 *       layouts), its Java codecs ({@link io.jbpf.netpolicy.conntrack.ConntrackKey},
 *       {@link io.jbpf.netpolicy.conntrack.ConntrackValue}), listing, and the agent's GC of expired
 *       entries against {@code CLOCK_MONOTONIC};</li>
 *   <li>{@link io.jbpf.netpolicy.conntrack.ConntrackTuple}: emits the reading of a packet's tuple
 *       (ICMP echo identifiers as ports, ICMP errors by the packet they quote) into a question area
 *       on the stack;</li>
 *   <li>{@link io.jbpf.netpolicy.conntrack.ConntrackStep}: emits the lookup (NEW, ESTABLISHED,
 *       REPLY, RELATED, with TCP state, lifetimes and counters) and the creation of an entry after
 *       policy allowed a new connection;</li>
 *   <li>{@link io.jbpf.netpolicy.conntrack.ConntrackBlock}: the same as two packet-DSL actions
 *       ({@code track()} passes known traffic, {@code create()} records a new connection policy
 *       allowed);</li>
 *   <li>{@link io.jbpf.netpolicy.conntrack.ConntrackProbe}: a TC program running both on a frame,
 *       for tests in the kernel and the VM.</li>
 * </ul>
 * A datapath hook plugs them in as: tuple → lookup → (NEW: policy → create when allowed) →
 * (ESTABLISHED, REPLY, RELATED: pass without policy).
 */
package io.jbpf.netpolicy.conntrack;
