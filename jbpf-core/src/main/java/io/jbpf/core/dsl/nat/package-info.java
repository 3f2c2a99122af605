/**
 * NAT blocks: source NAT of TCP, UDP and ICMP echo with port allocation from a configured range,
 * reverse translation of replies, and the shared 5-tuple and endpoint layouts ({@link
 * io.jbpf.core.dsl.nat.FlowKey}, {@link io.jbpf.core.dsl.nat.Endpoint}) that the load balancer uses too.
 */
package io.jbpf.core.dsl.nat;
