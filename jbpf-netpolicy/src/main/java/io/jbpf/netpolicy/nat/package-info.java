/**
 * Network address translation in the datapath: BPF masquerade's configuration as the
 * ip-masq-agent has it, the destinations (non-masquerade CIDRs) to which pod traffic keeps the
 * pod's address, read from a config file and reloaded when it changes. Everything else leaving the
 * node is to be translated to the node's address.
 */
package io.jbpf.netpolicy.nat;
