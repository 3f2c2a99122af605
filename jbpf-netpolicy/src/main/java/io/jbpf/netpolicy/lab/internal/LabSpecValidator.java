package io.jbpf.netpolicy.lab.internal;

import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.Ipv4Cidr;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.LabSpecException;
import io.jbpf.netpolicy.lab.NamespaceSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.OutsideSpec;
import io.jbpf.netpolicy.lab.PodSpec;
import io.jbpf.netpolicy.lab.PortSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules a lab spec obeys as a whole; each violation is a {@link LabSpecException} naming the
 * field by its path in the YAML ({@code pods[1].ip}), so the reader can add its line.
 */
public final class LabSpecValidator {
    /** A DNS label (RFC 1123), as Kubernetes names nodes, pods and namespaces. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    /** Names the lab uses for its own namespaces, so no node may take them. */
    private static final Set<String> RESERVED = Set.of("underlay", "outside");

    private LabSpecValidator() {}

    private static LabSpecException fail(String field, String reason) {
        return new LabSpecException(field, 0, 0, reason);
    }

    /** Checks a lab's parts; see {@link LabSpec}. */
    public static void check(String name, Ipv4Cidr underlay, OutsideSpec outside, List<NodeSpec> nodes,
            List<NamespaceSpec> namespaces, List<PodSpec> pods) {
        if (!LabSpec.isValidName(name)) {
            throw fail("name", "'" + name + "' is not a lab name: 1 to 32 of a-z and 0-9"
                    + " (no dash: the name is a prefix of the lab's namespace names)");
        }
        if (underlay == null) {
            throw fail("underlay", "missing (required)");
        }
        if (outside == null) {
            throw fail("outside", "missing (required)");
        }
        if (nodes.isEmpty()) {
            throw fail("nodes", "a lab needs at least one node");
        }
        Map<Ipv4, String> used = new HashMap<>();
        claim(used, outside.ip(), "outside.ip");
        checkPorts(outside.ports(), "outside.ports");
        Map<String, NodeSpec> byName = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            NodeSpec n = nodes.get(i);
            String at = "nodes[" + i + "]";
            label(n.name(), at + ".name");
            if (RESERVED.contains(n.name()) || n.name().startsWith("pod-") || n.name().endsWith("-health")) {
                throw fail(at + ".name", "'" + n.name() + "' is reserved for the lab's own namespaces"
                        + " (underlay, outside, pod-*, *-health)");
            }
            if (byName.put(n.name(), n) != null) {
                throw fail(at + ".name", "a second node named '" + n.name() + "'");
            }
            host(underlay, n.ip(), at + ".ip", "the underlay " + underlay);
            claim(used, n.ip(), at + ".ip");
            if (n.podCidr().overlaps(underlay)) {
                throw fail(at + ".podCIDR", n.podCidr() + " overlaps the underlay " + underlay);
            }
            if (n.podCidr().contains(outside.ip())) {
                throw fail(at + ".podCIDR", n.podCidr() + " contains the outside host's " + outside.ip());
            }
            if (n.podCidr().prefixLength() > 28) {
                throw fail(at + ".podCIDR", n.podCidr() + " is too small for a node (at most /28)");
            }
            for (int j = 0; j < i; j++) {
                if (nodes.get(j).podCidr().overlaps(n.podCidr())) {
                    throw fail(at + ".podCIDR", n.podCidr() + " overlaps " + nodes.get(j).name() + "'s "
                            + nodes.get(j).podCidr());
                }
            }
            host(n.podCidr(), n.routerIp(), at + ".routerIP", "the pod CIDR " + n.podCidr());
            claim(used, n.routerIp(), at + ".routerIP");
            host(n.podCidr(), n.healthIp(), at + ".healthIP", "the pod CIDR " + n.podCidr());
            claim(used, n.healthIp(), at + ".healthIP");
        }
        Set<String> nsNames = new HashSet<>();
        for (int i = 0; i < namespaces.size(); i++) {
            String at = "namespaces[" + i + "].name";
            label(namespaces.get(i).name(), at);
            if (!nsNames.add(namespaces.get(i).name())) {
                throw fail(at, "a second namespace named '" + namespaces.get(i).name() + "'");
            }
        }
        Set<String> podNames = new HashSet<>();
        for (int i = 0; i < pods.size(); i++) {
            PodSpec p = pods.get(i);
            String at = "pods[" + i + "]";
            label(p.name(), at + ".name");
            label(p.namespace(), at + ".namespace");
            if (!nsNames.contains(p.namespace())) {
                throw fail(at + ".namespace", "namespace '" + p.namespace() + "' is not in namespaces");
            }
            if (!podNames.add(p.qualifiedName())) {
                throw fail(at + ".name", "a second pod named " + p.qualifiedName());
            }
            NodeSpec node = byName.get(p.node());
            if (node == null) {
                throw fail(at + ".node", "no node named '" + p.node() + "' (nodes: "
                        + String.join(", ", nodes.stream().map(NodeSpec::name).toList()) + ")");
            }
            host(node.podCidr(), p.ip(), at + ".ip", node.name() + "'s pod CIDR " + node.podCidr());
            claim(used, p.ip(), at + ".ip");
            for (Map.Entry<String, String> l : p.labels().entrySet()) {
                if (l.getKey().isEmpty() || l.getKey().length() > 317 || l.getValue().length() > 63) {
                    throw fail(at + ".labels." + l.getKey(), "not a Kubernetes label (key 1..317, value 0..63 characters)");
                }
            }
            checkPorts(p.ports(), at + ".ports");
        }
    }

    private static void checkPorts(List<PortSpec> ports, String at) {
        Set<String> seen = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int j = 0; j < ports.size(); j++) {
            PortSpec port = ports.get(j);
            if (!seen.add(port.protocol() + "/" + port.port())) {
                throw fail(at + "[" + j + "]", port.protocol() + " port " + port.port() + " is served twice");
            }
            if (!port.name().isEmpty() && !names.add(port.name())) {
                throw fail(at + "[" + j + "].name", "a second port named '" + port.name() + "'");
            }
        }
    }

    private static void label(String value, String field) {
        if (value == null || !DNS_LABEL.matcher(value).matches()) {
            throw fail(field, "'" + value + "' is not a DNS label (lower-case letters, digits and '-', 1..63,"
                    + " starting and ending with a letter or digit)");
        }
    }

    private static void host(Ipv4Cidr cidr, Ipv4 ip, String field, String what) {
        if (ip == null) {
            throw fail(field, "missing (required)");
        }
        if (!cidr.contains(ip)) {
            throw fail(field, ip + " is not in " + what);
        }
        if (ip.equals(cidr.network()) || ip.equals(cidr.address((int) cidr.size() - 1))) {
            throw fail(field, ip + " is the network or broadcast address of " + what);
        }
    }

    private static void claim(Map<Ipv4, String> used, Ipv4 ip, String field) {
        String other = used.putIfAbsent(ip, field);
        if (other != null) {
            throw fail(field, ip + " is already taken by " + other);
        }
    }
}
