/**
 * The datapath's maps and the code steps its programs are assembled from. So far the policy step:
 * {@link io.jbpf.netpolicy.datapath.PolicyMap} (one LPM trie for the policy entries of every
 * endpoint of a node, kept in step with each endpoint's resolved policy) and
 * {@link io.jbpf.netpolicy.datapath.PolicyLookup} (the two lookups a packet's verdict takes).
 */
package io.jbpf.netpolicy.datapath;
