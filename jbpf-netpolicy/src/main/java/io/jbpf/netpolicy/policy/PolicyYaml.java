package io.jbpf.netpolicy.policy;

import io.jbpf.maps.Cidr;
import io.jbpf.maps.InvalidPrefixException;
import io.jbpf.netpolicy.identity.Label;
import io.jbpf.netpolicy.internal.yaml.YamlFieldException;
import io.jbpf.netpolicy.internal.yaml.YamlMap;
import io.jbpf.netpolicy.internal.yaml.YamlNode;
import io.jbpf.netpolicy.internal.yaml.YamlTrees;
import io.jbpf.netpolicy.policy.EndpointSelector.Operator;
import io.jbpf.netpolicy.policy.EndpointSelector.Requirement;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads Kubernetes {@code NetworkPolicy} (networking.k8s.io/v1) and Cilium
 * {@code CiliumNetworkPolicy}/{@code CiliumClusterwideNetworkPolicy} (cilium.io/v2) documents into
 * {@link Policy} values, with their meaning:
 * <ul>
 * <li>NetworkPolicy: {@code podSelector} selects pods of the policy's namespace;
 * {@code policyTypes} (default Ingress, plus Egress when {@code egress} is given) are the
 * default-deny directions; a rule without peers or ports matches all of them; peers are
 * {@code podSelector} (same namespace), {@code namespaceSelector} (pods of the matching
 * namespaces), both (pods matching in matching namespaces) or {@code ipBlock} with {@code except};
 * ports by number, name or range ({@code endPort}), TCP by default.</li>
 * <li>CiliumNetworkPolicy: {@code endpointSelector} (restricted to the policy's namespace unless
 * cluster-wide); {@code ingress}/{@code egress} allow, {@code ingressDeny}/{@code egressDeny} deny
 * (deny wins); peers {@code from/toEndpoints} (namespaced to the policy's namespace unless they
 * name one), {@code from/toCIDR}, {@code from/toCIDRSet} (with {@code except}),
 * {@code from/toEntities}; {@code toPorts} with protocol ANY by default; a rule with ports but no
 * peers applies to every peer, a rule with neither allows nothing; a direction with rules is
 * default-deny unless {@code enableDefaultDeny} says otherwise.</li>
 * </ul>
 * Unknown fields, bad selectors, CIDRs, ports and protocols are refused with an
 * {@link InvalidPolicyException} naming the field; a file is taken whole or not at all.
 */
public final class PolicyYaml {
    private PolicyYaml() {}

    /**
     * The policies of every document of {@code text}.
     *
     * @throws InvalidPolicyException naming the first wrong field
     */
    public static List<Policy> parse(String text) {
        try {
            List<Policy> out = new ArrayList<>();
            for (YamlNode doc : YamlTrees.parseAll(text)) {
                out.addAll(document(YamlMap.of(doc)));
            }
            return out;
        } catch (YamlFieldException e) {
            throw new InvalidPolicyException(e.field(), e.line(), e.column(), e.getMessage());
        }
    }

    private static List<Policy> document(YamlMap doc) {
        String apiVersion = doc.requiredString("apiVersion");
        String kind = doc.requiredString("kind");
        YamlMap meta = doc.map("metadata");
        String name = meta.requiredString("name");
        String namespace = meta.string("namespace").orElse("default");
        meta.field("labels");
        meta.field("annotations");
        meta.field("uid");
        meta.field("resourceVersion");
        meta.field("generation");
        meta.field("creationTimestamp");
        meta.noOtherFields();
        List<Policy> out = new ArrayList<>();
        if (kind.equals("NetworkPolicy") && apiVersion.equals("networking.k8s.io/v1")) {
            out.add(kubernetes(name, namespace, doc.map("spec")));
        } else if ((kind.equals("CiliumNetworkPolicy") || kind.equals("CiliumClusterwideNetworkPolicy"))
                && apiVersion.equals("cilium.io/v2")) {
            String ns = kind.equals("CiliumClusterwideNetworkPolicy") ? null : namespace;
            if (doc.field("spec").isPresent()) {
                out.add(cilium(name, ns, doc.map("spec")));
            }
            List<YamlNode> specs = doc.list("specs");
            for (YamlNode s : specs) {
                out.add(cilium(name + "#" + (out.size()), ns, YamlMap.of(s)));
            }
            if (out.isEmpty()) {
                throw fail(doc.node(), "a " + kind + " needs spec or specs");
            }
        } else {
            throw fail(doc.required("kind"), "unsupported kind " + kind + " of " + apiVersion
                    + " (NetworkPolicy of networking.k8s.io/v1, CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy of"
                    + " cilium.io/v2)");
        }
        doc.field("status");
        doc.noOtherFields();
        return out;
    }

    // ---- Kubernetes NetworkPolicy ----------------------------------------------------------------

    private static Policy kubernetes(String name, String namespace, YamlMap spec) {
        EndpointSelector subject = selector(spec.required("podSelector"), Label.K8S + ":")
                .and(namespaceIs(namespace));
        boolean hasEgress = spec.field("egress").isPresent();
        Set<Direction> enforced = EnumSet.noneOf(Direction.class);
        List<YamlNode> types = spec.list("policyTypes");
        if (spec.field("policyTypes").isEmpty()) {
            enforced.add(Direction.INGRESS);
            if (hasEgress) {
                enforced.add(Direction.EGRESS);
            }
        }
        for (YamlNode t : types) {
            String s = YamlMap.text(t);
            if (s.equals("Ingress")) {
                enforced.add(Direction.INGRESS);
            } else if (s.equals("Egress")) {
                enforced.add(Direction.EGRESS);
            } else {
                throw fail(t, "policyTypes holds Ingress or Egress, not '" + s + "'");
            }
        }
        List<PolicyRule> rules = new ArrayList<>();
        for (YamlNode r : spec.list("ingress")) {
            rules.add(kubernetesRule(YamlMap.of(r), Direction.INGRESS, "from", namespace));
        }
        for (YamlNode r : spec.list("egress")) {
            rules.add(kubernetesRule(YamlMap.of(r), Direction.EGRESS, "to", namespace));
        }
        spec.noOtherFields();
        return new Policy(name, namespace, subject, enforced, rules);
    }

    private static PolicyRule kubernetesRule(YamlMap rule, Direction dir, String peersKey, String namespace) {
        List<Peer> peers = new ArrayList<>();
        for (YamlNode p : rule.list(peersKey)) {
            YamlMap peer = YamlMap.of(p);
            boolean pods = peer.field("podSelector").isPresent();
            boolean namespaces = peer.field("namespaceSelector").isPresent();
            boolean block = peer.field("ipBlock").isPresent();
            if (block && (pods || namespaces)) {
                throw fail(p, "ipBlock cannot be combined with podSelector or namespaceSelector in one peer");
            }
            if (block) {
                YamlMap ip = peer.map("ipBlock");
                Cidr cidr = ip.requiredParsed("cidr", PolicyYaml::cidr);
                List<Cidr> except = new ArrayList<>();
                for (YamlNode e : ip.list("except")) {
                    except.add(YamlMap.convert(e, PolicyYaml::cidr));
                }
                ip.noOtherFields();
                peers.add(cidrs(p, cidr, except));
            } else if (pods || namespaces) {
                EndpointSelector s = pods ? selector(peer.required("podSelector"), Label.K8S + ":") : EndpointSelector.ALL;
                if (namespaces) {
                    EndpointSelector ns = selector(peer.required("namespaceSelector"),
                            Label.K8S + ":" + Label.NAMESPACE_LABELS_PREFIX);
                    s = merge(s, ns).and(new Requirement(Label.K8S + ":" + Label.NAMESPACE_KEY, Operator.EXISTS, Set.of()));
                } else {
                    s = s.and(namespaceIs(namespace));
                }
                peers.add(new Peer.Endpoints(s));
            } else {
                throw fail(p, "a peer needs podSelector, namespaceSelector or ipBlock");
            }
            peer.noOtherFields();
        }
        List<PortRule> ports = new ArrayList<>();
        for (YamlNode p : rule.list("ports")) {
            YamlMap port = YamlMap.of(p);
            Protocol proto = port.parsed("protocol", PolicyYaml::l4Protocol).orElse(Protocol.TCP);
            ports.add(portRule(port, proto, "port"));
            port.noOtherFields();
        }
        rule.noOtherFields();
        return new PolicyRule(dir, false, peers, ports);
    }

    // ---- CiliumNetworkPolicy ---------------------------------------------------------------------

    private static Policy cilium(String name, String namespace, YamlMap spec) {
        EndpointSelector subject = selector(spec.required("endpointSelector"), "");
        if (namespace != null) {
            subject = subject.and(namespaceIs(namespace));
        }
        spec.field("description");
        spec.field("labels");
        YamlMap defaults = spec.map("enableDefaultDeny");
        boolean denyIn = defaults.parsed("ingress", PolicyYaml::bool).orElse(true);
        boolean denyOut = defaults.parsed("egress", PolicyYaml::bool).orElse(true);
        defaults.noOtherFields();
        Set<Direction> enforced = EnumSet.noneOf(Direction.class);
        List<PolicyRule> rules = new ArrayList<>();
        String[][] kinds = {{"ingress", "from"}, {"ingressDeny", "from"}, {"egress", "to"}, {"egressDeny", "to"}};
        for (String[] k : kinds) {
            Direction dir = k[0].startsWith("ingress") ? Direction.INGRESS : Direction.EGRESS;
            boolean deny = k[0].endsWith("Deny");
            if (spec.field(k[0]).isPresent() && (dir == Direction.INGRESS ? denyIn : denyOut)) {
                enforced.add(dir);
            }
            for (YamlNode r : spec.list(k[0])) {
                PolicyRule rule = ciliumRule(YamlMap.of(r), dir, deny, k[1], namespace);
                if (rule != null) {
                    rules.add(rule);
                }
            }
        }
        spec.noOtherFields();
        return new Policy(name, namespace, subject, enforced, rules);
    }

    private static PolicyRule ciliumRule(YamlMap rule, Direction dir, boolean deny, String p, String namespace) {
        List<Peer> peers = new ArrayList<>();
        boolean anyPeerField = false;
        for (String f : List.of("Endpoints", "CIDR", "CIDRSet", "Entities")) {
            anyPeerField |= rule.field(p + f).isPresent();
        }
        for (YamlNode n : rule.list(p + "Endpoints")) {
            EndpointSelector s = selector(n, "");
            if (namespace != null && !s.mentions(Label.K8S, Label.NAMESPACE_KEY)) {
                s = s.and(namespaceIs(namespace));
            }
            peers.add(new Peer.Endpoints(s));
        }
        for (YamlNode n : rule.list(p + "CIDR")) {
            peers.add(cidrs(n, YamlMap.convert(n, PolicyYaml::cidr), List.of()));
        }
        for (YamlNode n : rule.list(p + "CIDRSet")) {
            YamlMap set = YamlMap.of(n);
            Cidr cidr = set.requiredParsed("cidr", PolicyYaml::cidr);
            List<Cidr> except = new ArrayList<>();
            for (YamlNode e : set.list("except")) {
                except.add(YamlMap.convert(e, PolicyYaml::cidr));
            }
            set.noOtherFields();
            peers.add(cidrs(n, cidr, except));
        }
        for (YamlNode n : rule.list(p + "Entities")) {
            peers.add(new Peer.Entities(YamlMap.convert(n, Entity::of)));
        }
        for (String unsupported : List.of("Requires", "Services", "Groups", "Nodes", "FQDNs")) {
            rule.field(p + unsupported).ifPresent(n -> {
                throw fail(n, p + unsupported + " is not supported by jbpf");
            });
        }
        List<PortRule> ports = new ArrayList<>();
        for (YamlNode tp : rule.list("toPorts")) {
            YamlMap toPorts = YamlMap.of(tp);
            List<YamlNode> list = toPorts.list("ports");
            if (list.isEmpty()) {
                throw fail(tp, "toPorts needs ports");
            }
            for (YamlNode pn : list) {
                YamlMap port = YamlMap.of(pn);
                Protocol proto = port.parsed("protocol", PolicyYaml::ciliumProtocol).orElse(Protocol.ANY);
                PortRule pr = portRule(port, proto, "port");
                if (proto == Protocol.ANY && (pr.port() != 0 || pr.isNamed())) {
                    // ANY with a port means that port on TCP, UDP and SCTP, as in Cilium
                    for (Protocol each : List.of(Protocol.TCP, Protocol.UDP, Protocol.SCTP)) {
                        ports.add(new PortRule(each, pr.port(), pr.endPort(), pr.name()));
                    }
                } else {
                    ports.add(pr);
                }
                port.noOtherFields();
            }
            toPorts.field("rules").ifPresent(n -> {
                throw fail(n, "L7 rules are not supported by jbpf yet");
            });
            toPorts.noOtherFields();
        }
        for (String ignored : List.of("icmps", "authentication")) {
            rule.field(ignored).ifPresent(n -> {
                throw fail(n, ignored + " is not supported by jbpf");
            });
        }
        rule.noOtherFields();
        if (!anyPeerField && ports.isEmpty()) {
            return null; // an empty rule: default deny, nothing allowed
        }
        if (anyPeerField && peers.isEmpty()) {
            return null; // empty peer lists select no one
        }
        return new PolicyRule(dir, deny, peers, ports);
    }

    // ---- shared pieces ---------------------------------------------------------------------------

    private static Peer cidrs(YamlNode at, Cidr cidr, List<Cidr> except) {
        try {
            return new Peer.Cidrs(cidr, except);
        } catch (IllegalArgumentException e) {
            throw fail(at, e.getMessage());
        }
    }

    private static PortRule portRule(YamlMap port, Protocol proto, String key) {
        YamlNode p = port.field(key).orElse(null);
        Integer end = port.integer("endPort").orElse(null);
        try {
            if (p == null) {
                if (end != null) {
                    throw new IllegalArgumentException("endPort " + end + " needs a port");
                }
                return new PortRule(proto, 0, 0, null);
            }
            String text = YamlMap.text(p);
            if (text.matches("[0-9]+")) {
                int n = Integer.parseInt(text.length() > 6 ? "999999" : text);
                if (n < 0 || n > 65535 || (n == 0 && end != null)) {
                    throw new IllegalArgumentException("port " + text + " is out of range (1-65535)");
                }
                return new PortRule(proto, n, end == null ? n : end, null);
            }
            if (end != null) {
                throw new IllegalArgumentException("endPort needs a numbered port, not '" + text + "'");
            }
            if (!text.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || !text.matches(".*[a-z].*")) {
                throw new IllegalArgumentException("'" + text + "' is neither a port number nor a port name (IANA_SVC_NAME)");
            }
            return PortRule.named(proto, text);
        } catch (IllegalArgumentException e) {
            throw YamlFieldException.at(p != null ? p : port.node(), e.getMessage());
        }
    }

    private static Cidr cidr(String s) {
        try {
            return Cidr.parse(s);
        } catch (InvalidPrefixException e) {
            throw new IllegalArgumentException("'" + s + "' is not a CIDR: " + e.getMessage(), e);
        }
    }

    private static Protocol l4Protocol(String s) {
        Protocol p = Protocol.of(s);
        if (p != Protocol.TCP && p != Protocol.UDP && p != Protocol.SCTP) {
            throw new IllegalArgumentException("protocol is TCP, UDP or SCTP, not '" + s + "'");
        }
        return p;
    }

    private static Protocol ciliumProtocol(String s) {
        Protocol p = Protocol.of(s);
        if (p == Protocol.ICMPV6) {
            throw new IllegalArgumentException("protocol is TCP, UDP, SCTP, ICMP or ANY, not '" + s + "'");
        }
        return p;
    }

    private static boolean bool(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("'" + s + "' is not true or false");
    }

    private static Requirement namespaceIs(String namespace) {
        return new Requirement(Label.K8S + ":" + Label.NAMESPACE_KEY, Operator.IN, Set.of(namespace));
    }

    /** A label selector; {@code keyPrefix} is put before every key (a source, or the namespace-label prefix). */
    static EndpointSelector selector(YamlNode node, String keyPrefix) {
        YamlMap m = YamlMap.of(node);
        Map<String, String> labels = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : m.stringMap("matchLabels").entrySet()) {
            labels.put(keyPrefix + checkKey(m, e.getKey()), e.getValue());
        }
        List<Requirement> reqs = new ArrayList<>();
        for (YamlNode r : m.list("matchExpressions")) {
            YamlMap req = YamlMap.of(r);
            String key = checkKey(req, req.requiredString("key"));
            Operator op = req.requiredParsed("operator", PolicyYaml::operator);
            Set<String> values = new LinkedHashSet<>();
            for (YamlNode v : req.list("values")) {
                values.add(YamlMap.text(v));
            }
            try {
                reqs.add(new Requirement(keyPrefix + key, op, values));
            } catch (IllegalArgumentException e) {
                throw fail(r, e.getMessage());
            }
            req.noOtherFields();
        }
        m.noOtherFields();
        return new EndpointSelector(labels, reqs);
    }

    private static String checkKey(YamlMap at, String key) {
        if (key.isEmpty() || key.contains("=") || key.contains(" ")) {
            throw fail(at.node(), "'" + key + "' is not a label key");
        }
        return key;
    }

    private static Operator operator(String s) {
        switch (s) {
            case "In":
                return Operator.IN;
            case "NotIn":
                return Operator.NOT_IN;
            case "Exists":
                return Operator.EXISTS;
            case "DoesNotExist":
                return Operator.DOES_NOT_EXIST;
            default:
                throw new IllegalArgumentException("operator is In, NotIn, Exists or DoesNotExist, not '" + s + "'");
        }
    }

    private static EndpointSelector merge(EndpointSelector a, EndpointSelector b) {
        Map<String, String> labels = new LinkedHashMap<>(a.matchLabels());
        labels.putAll(b.matchLabels());
        List<Requirement> reqs = new ArrayList<>(a.matchExpressions());
        reqs.addAll(b.matchExpressions());
        return new EndpointSelector(labels, reqs);
    }

    private static YamlFieldException fail(YamlNode at, String reason) {
        return YamlFieldException.at(at, reason);
    }
}
