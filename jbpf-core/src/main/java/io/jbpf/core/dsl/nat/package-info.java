/**
 * NAT blocks: source NAT ({@link io.jbpf.core.dsl.nat.SourceNat}) of TCP, UDP and ICMP echo with
 * port allocation from a configured range, static destination NAT
 * ({@link io.jbpf.core.dsl.nat.DestinationNat}), reverse translation of replies, on TC or XDP, as
 * programs or packet DSL actions, and the shared 5-tuple and endpoint layouts ({@link
 * io.jbpf.core.dsl.nat.FlowKey}, {@link io.jbpf.core.dsl.nat.Endpoint}) that the load balancer uses too.
 */
package io.jbpf.core.dsl.nat;
