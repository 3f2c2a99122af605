package io.jbpf.netpolicy.lab;

import io.jbpf.netpolicy.lab.internal.LabSpecReader;
import io.jbpf.netpolicy.lab.internal.LabSpecValidator;
import io.jbpf.netpolicy.lab.internal.LabSpecWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a lab is made of: a plain value, read from YAML ({@link #parse}) or the built-in
 * {@link #defaultSpec()}, validated whole on construction. {@link Lab#up} turns it into network
 * namespaces.
 *
 * <p>The YAML has the fields of the records: {@code name}, {@code underlay} (a CIDR),
 * {@code outside} ({@code ip}, {@code ports}), {@code nodes} ({@code name}, {@code ip},
 * {@code podCIDR}, optional {@code routerIP} and {@code healthIP}, by default the 1st and 2nd
 * address of the pod CIDR), {@code namespaces} ({@code name}, {@code labels}) and {@code pods}
 * ({@code name}, {@code namespace}, {@code node}, {@code labels}, optional {@code ip}, allocated
 * from the 10th address of the node's pod CIDR on, and {@code ports}: {@code name}, {@code port},
 * {@code protocol} TCP or UDP, {@code server} whoami or echo). See {@code default-lab.yaml}.
 *
 * @param name       the lab's name, {@code [a-z0-9]{1,32}}: its namespaces are {@code jbpf-lab-<name>-...}
 * @param underlay   the underlay segment's prefix (node IPs lie in it)
 * @param outside    the host standing in for the internet
 * @param nodes      the nodes, in order
 * @param namespaces the Kubernetes namespaces (every pod's namespace is listed, with the
 *                   {@code kubernetes.io/metadata.name} label)
 * @param pods       the pods, in order, each with its address resolved
 */
public record LabSpec(String name, Ipv4Cidr underlay, OutsideSpec outside, List<NodeSpec> nodes,
        List<NamespaceSpec> namespaces, List<PodSpec> pods) {

    private static final Pattern LAB_NAME = Pattern.compile("[a-z0-9]{1,32}");

    /**
     * @throws LabSpecException when the parts do not fit together: names not unique or not DNS
     *                          labels, addresses outside their prefixes or used twice, prefixes
     *                          overlapping, a pod on an unknown node, a port served twice
     */
    public LabSpec {
        nodes = List.copyOf(nodes);
        namespaces = List.copyOf(namespaces);
        pods = List.copyOf(pods);
        LabSpecValidator.check(name, underlay, outside, nodes, namespaces, pods);
    }

    /** Whether {@code name} can name a lab: {@code [a-z0-9]{1,32}} (it is a prefix of namespace names). */
    public static boolean isValidName(String name) {
        return name != null && LAB_NAME.matcher(name).matches();
    }

    /**
     * Reads a lab from YAML text. Parsing only: nothing touches the kernel.
     *
     * @throws LabSpecException naming the field (and line and column) that is wrong
     */
    public static LabSpec parse(String yaml) {
        return LabSpecReader.read(yaml);
    }

    /** Reads a lab file. */
    public static LabSpec read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lab file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The built-in lab: nodes k8s-s, k8s-w1, k8s-w2; pods netpod, webpod1, webpod2. */
    public static LabSpec defaultSpec() {
        return builtin("default");
    }

    /**
     * The names of the built-in labs: {@code default}, {@code e2e} (the Kubernetes e2e model) and
     * {@code services} (a client and three backends for services).
     */
    public static List<String> builtins() {
        return List.of("default", "e2e", "services");
    }

    /**
     * A built-in lab: {@code default} (see {@link #defaultSpec()}), {@code e2e}, the model of
     * Kubernetes' network policy e2e tests (namespaces x, y, z with pods a, b, c serving TCP and
     * UDP on 80 and 81, spread over the three nodes), or {@code services}: a client pod on k8s-s
     * (172.16.0.5) and backends web1 on k8s-w1 (172.16.1.10), web2 and web3 on k8s-w2
     * (172.16.2.10, .11), each serving whoami on TCP 8080 and an echo on TCP and UDP 7.
     *
     * @throws IllegalArgumentException for another name
     */
    public static LabSpec builtin(String which) {
        return parse(builtinYaml(which));
    }

    /** The text of a built-in lab file. */
    public static String builtinYaml(String which) {
        if (!builtins().contains(which)) {
            throw new IllegalArgumentException("no built-in lab '" + which + "' (built-in: " + String.join(", ", builtins()) + ")");
        }
        try (InputStream in = LabSpec.class.getResourceAsStream(which + "-lab.yaml")) {
            if (in == null) {
                throw new IllegalStateException(which + "-lab.yaml is missing from the jbpf-netpolicy jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** This lab under another name. */
    public LabSpec withName(String newName) {
        return new LabSpec(newName, underlay, outside, nodes, namespaces, pods);
    }

    /** The node named {@code nodeName}. */
    public Optional<NodeSpec> node(String nodeName) {
        return nodes.stream().filter(n -> n.name().equals(nodeName)).findFirst();
    }

    /**
     * The pod {@code ref}: {@code namespace/name}, or a bare name that only one pod has.
     *
     * @throws IllegalArgumentException when the name is in several namespaces
     */
    public Optional<PodSpec> pod(String ref) {
        int slash = ref.indexOf('/');
        if (slash >= 0) {
            String ns = ref.substring(0, slash);
            String n = ref.substring(slash + 1);
            return pods.stream().filter(p -> p.namespace().equals(ns) && p.name().equals(n)).findFirst();
        }
        List<PodSpec> matches = pods.stream().filter(p -> p.name().equals(ref)).toList();
        if (matches.size() > 1) {
            throw new IllegalArgumentException("pod name '" + ref + "' is in several namespaces: say which, e.g. "
                    + matches.get(0).qualifiedName());
        }
        return matches.stream().findFirst();
    }

    /** This lab as YAML that {@link #parse} reads back to an equal spec (addresses resolved). */
    public String toYaml() {
        return LabSpecWriter.write(this);
    }
}
