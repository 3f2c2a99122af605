/**
 * The policy model and its resolution: {@link io.jbpf.netpolicy.policy.Policy policies} select
 * endpoints with {@link io.jbpf.netpolicy.policy.EndpointSelector label selectors}, make them
 * default-deny per {@link io.jbpf.netpolicy.policy.Direction direction}, and allow or deny
 * {@link io.jbpf.netpolicy.policy.Peer peers} (endpoints, CIDR blocks with exceptions, entities) on
 * {@link io.jbpf.netpolicy.policy.PortRule ports}. A
 * {@link io.jbpf.netpolicy.policy.PolicyResolver} turns them into one endpoint's
 * {@link io.jbpf.netpolicy.policy.EndpointPolicy}: the policy map entries (identity, direction,
 * protocol, port block) → allow or deny that the datapath looks up, deny winning over allow.
 * {@link io.jbpf.netpolicy.policy.PolicyYaml} reads Kubernetes NetworkPolicy and CiliumNetworkPolicy
 * documents into this model.
 */
package io.jbpf.netpolicy.policy;
