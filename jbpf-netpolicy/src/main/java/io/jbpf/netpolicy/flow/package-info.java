/**
 * Flow visibility, as Hubble gives it: the datapath's drop and policy-verdict events read into
 * {@link io.jbpf.netpolicy.flow.Flow}s by a {@link io.jbpf.netpolicy.flow.FlowObserver}, filtered
 * with {@link io.jbpf.netpolicy.flow.FlowFilter}, printed compact or as JSON.
 */
package io.jbpf.netpolicy.flow;
