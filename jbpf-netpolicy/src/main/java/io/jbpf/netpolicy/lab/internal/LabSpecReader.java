package io.jbpf.netpolicy.lab.internal;

import io.jbpf.netpolicy.internal.yaml.YamlFieldException;
import io.jbpf.netpolicy.internal.yaml.YamlMap;
import io.jbpf.netpolicy.internal.yaml.YamlNode;
import io.jbpf.netpolicy.internal.yaml.YamlTrees;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.Ipv4Cidr;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.LabSpecException;
import io.jbpf.netpolicy.lab.NamespaceSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.OutsideSpec;
import io.jbpf.netpolicy.lab.PodSpec;
import io.jbpf.netpolicy.lab.PortSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a lab file (see {@link LabSpec} for its fields): shape and types here, with line and
 * column; the rules across fields in {@link LabSpecValidator}, whose errors get the line of the
 * field they name. Fills in defaults: router and health address (1st and 2nd of the pod CIDR),
 * pod addresses (from the 10th on, in file order), namespace {@code default}, server by protocol.
 */
public final class LabSpecReader {
    /** Pods get addresses from this offset in their node's pod CIDR on. */
    private static final int FIRST_POD_OFFSET = 10;
    /** The label Kubernetes puts on every namespace. */
    public static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private LabSpecReader() {}

    /** Parses and validates. */
    public static LabSpec read(String yaml) {
        YamlNode root;
        try {
            root = YamlTrees.parse(yaml);
        } catch (YamlFieldException e) {
            throw new LabSpecException(e.field(), e.line(), e.column(), e.reason());
        }
        try {
            return build(root);
        } catch (YamlFieldException e) {
            throw new LabSpecException(e.field(), e.line(), e.column(), e.reason());
        } catch (LabSpecException e) {
            if (e.line() > 0 || e.field().isEmpty()) {
                throw e;
            }
            YamlNode at = find(root, e.field());
            throw new LabSpecException(e.field(), at.line(), at.column(), e.reason());
        }
    }

    private static LabSpec build(YamlNode rootNode) {
        YamlMap root = YamlMap.of(rootNode);
        String name = root.string("name").orElse("default");
        Ipv4Cidr underlay = root.requiredParsed("underlay", Ipv4Cidr::parse);
        YamlMap out = root.map("outside");
        OutsideSpec outside = new OutsideSpec(out.requiredParsed("ip", Ipv4::parse), ports(out));
        out.noOtherFields();

        List<NodeSpec> nodes = new ArrayList<>();
        for (YamlNode n : root.list("nodes")) {
            YamlMap m = YamlMap.of(n);
            String nodeName = m.requiredString("name");
            Ipv4 ip = m.requiredParsed("ip", Ipv4::parse);
            Ipv4Cidr cidr = m.requiredParsed("podCIDR", Ipv4Cidr::parse);
            Ipv4 router = m.parsed("routerIP", Ipv4::parse).orElse(cidr.address(1));
            Ipv4 health = m.parsed("healthIP", Ipv4::parse).orElse(cidr.address(2));
            m.noOtherFields();
            nodes.add(new NodeSpec(nodeName, ip, cidr, router, health));
        }

        Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
        for (YamlNode n : root.list("namespaces")) {
            YamlMap m = YamlMap.of(n);
            String nsName = m.requiredString("name");
            Map<String, String> labels = new LinkedHashMap<>(m.stringMap("labels"));
            m.noOtherFields();
            if (namespaces.containsKey(nsName)) {
                throw YamlFieldException.at(m.required("name"), "a second namespace named '" + nsName + "'");
            }
            namespaces.put(nsName, labels);
        }

        // explicit pod addresses first, so that allocation never hands out one of them
        List<YamlNode> podNodes = root.list("pods");
        Set<Ipv4> taken = new HashSet<>();
        for (NodeSpec n : nodes) {
            taken.add(n.routerIp());
            taken.add(n.healthIp());
        }
        List<YamlMap> podMaps = new ArrayList<>();
        for (YamlNode n : podNodes) {
            YamlMap m = YamlMap.of(n);
            podMaps.add(m);
            m.parsed("ip", Ipv4::parse).ifPresent(taken::add);
        }
        Map<String, Integer> nextOffset = new LinkedHashMap<>();
        List<PodSpec> pods = new ArrayList<>();
        for (YamlMap m : podMaps) {
            String podName = m.requiredString("name");
            String ns = m.string("namespace").orElse("default");
            String nodeName = m.requiredString("node");
            Map<String, String> labels = m.stringMap("labels");
            Optional<Ipv4> ip = m.parsed("ip", Ipv4::parse);
            List<PortSpec> ports = ports(m);
            m.noOtherFields();
            Optional<NodeSpec> node = nodes.stream().filter(x -> x.name().equals(nodeName)).findFirst();
            if (node.isEmpty()) {
                throw YamlFieldException.at(m.required("node"), "no node named '" + nodeName + "' (nodes: "
                        + String.join(", ", nodes.stream().map(NodeSpec::name).toList()) + ")");
            }
            Ipv4 address = ip.orElseGet(() -> allocate(node.get(), taken, nextOffset, m));
            namespaces.computeIfAbsent(ns, k -> new LinkedHashMap<>());
            pods.add(new PodSpec(podName, ns, labels, nodeName, address, ports));
        }
        root.noOtherFields();

        List<NamespaceSpec> nsSpecs = new ArrayList<>();
        namespaces.forEach((ns, labels) -> {
            Map<String, String> all = new LinkedHashMap<>(labels);
            all.putIfAbsent(NAMESPACE_NAME_LABEL, ns);
            nsSpecs.add(new NamespaceSpec(ns, all));
        });
        return new LabSpec(name, underlay, outside, nodes, nsSpecs, pods);
    }

    private static Ipv4 allocate(NodeSpec node, Set<Ipv4> taken, Map<String, Integer> nextOffset, YamlMap pod) {
        int offset = nextOffset.getOrDefault(node.name(), FIRST_POD_OFFSET);
        while (offset < node.podCidr().size() - 1) {
            Ipv4 candidate = node.podCidr().address(offset++);
            if (taken.add(candidate)) {
                nextOffset.put(node.name(), offset);
                return candidate;
            }
        }
        throw YamlFieldException.at(pod.required("node"), "no free address left in " + node.name() + "'s pod CIDR "
                + node.podCidr());
    }

    private static List<PortSpec> ports(YamlMap owner) {
        List<PortSpec> ports = new ArrayList<>();
        for (YamlNode n : owner.list("ports")) {
            YamlMap m = YamlMap.of(n);
            String portName = m.string("name").orElse("");
            int port = YamlMap.convert(m.required("port"), LabSpecReader::portNumber);
            PortSpec.Protocol protocol = m.parsed("protocol", s -> enumValue(PortSpec.Protocol.class, s))
                    .orElse(PortSpec.Protocol.TCP);
            PortSpec.Server server = m.parsed("server", s -> enumValue(PortSpec.Server.class, s))
                    .orElse(protocol == PortSpec.Protocol.TCP ? PortSpec.Server.WHOAMI : PortSpec.Server.ECHO);
            m.noOtherFields();
            try {
                ports.add(new PortSpec(portName, port, protocol, server));
            } catch (IllegalArgumentException e) {
                throw YamlFieldException.at(n, e.getMessage());
            }
        }
        return ports;
    }

    private static int portNumber(String text) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a port number");
        }
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String text) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(text)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT));
        }
        throw new IllegalArgumentException("'" + text + "' is not one of " + String.join(", ", names));
    }

    /** The deepest node on {@code path} ({@code pods[1].ip}) that exists in the tree. */
    static YamlNode find(YamlNode root, String path) {
        YamlNode at = root;
        for (String step : path.split("\\.")) {
            String key = step;
            List<Integer> indexes = new ArrayList<>();
            int bracket = step.indexOf('[');
            if (bracket >= 0) {
                key = step.substring(0, bracket);
                for (String idx : step.substring(bracket + 1).split("\\[")) {
                    indexes.add(Integer.parseInt(idx.replace("]", "")));
                }
            }
            if (!(at instanceof YamlNode.Mapping) || !((YamlNode.Mapping) at).entries().containsKey(key)) {
                return at;
            }
            at = ((YamlNode.Mapping) at).entries().get(key);
            for (int i : indexes) {
                if (!(at instanceof YamlNode.Sequence) || i >= ((YamlNode.Sequence) at).items().size()) {
                    return at;
                }
                at = ((YamlNode.Sequence) at).items().get(i);
            }
        }
        return at;
    }
}
