package io.jbpf.netpolicy.policy;

import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NamespaceSpec;
import io.jbpf.netpolicy.lab.PodSpec;
import io.jbpf.netpolicy.lab.PortSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pods of the Kubernetes network policy e2e tests, taken from the lab's built-in {@code e2e}
 * layout (namespaces x, y, z labelled {@code ns: NAME}; pods a, b, c labelled {@code pod: NAME},
 * serving the named ports {@code serve-PORT-PROTO}), with the label the API server puts on every
 * namespace ({@code kubernetes.io/metadata.name}). Labels can be added, as upstream's tests do
 * between two checks. {@link #reachability} is the model's answer: P reaches Q on a port iff P's
 * policy lets it send to Q's identity (egress) and Q's policy lets it receive from P's (ingress).
 */
final class E2eModel {
    /** The label the API server gives every namespace, with its name as value. */
    static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final Map<String, Map<String, String>> namespaceLabels = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> podLabels = new LinkedHashMap<>();
    private final Map<String, List<NamedPort>> podPorts = new LinkedHashMap<>();
    private final Map<String, String> podIps = new LinkedHashMap<>();

    /** The lab's {@code e2e} layout. */
    static E2eModel fromLab() {
        E2eModel m = new E2eModel();
        LabSpec lab = LabSpec.builtin("e2e");
        for (NamespaceSpec ns : lab.namespaces()) {
            Map<String, String> labels = new TreeMap<>(ns.labels());
            labels.put(NAMESPACE_NAME_LABEL, ns.name());
            m.namespaceLabels.put(ns.name(), labels);
        }
        for (PodSpec p : lab.pods()) {
            String key = p.namespace() + "/" + p.name();
            m.podLabels.put(key, new TreeMap<>(p.labels()));
            List<NamedPort> ports = new ArrayList<>();
            for (PortSpec port : p.ports()) {
                if (!port.name().isEmpty()) {
                    ports.add(new NamedPort(port.name(), Protocol.of(port.protocol().name()), port.port()));
                }
            }
            m.podPorts.put(key, List.copyOf(ports));
            m.podIps.put(key, p.ip().toString());
        }
        return m;
    }

    /** The pods as {@code namespace/name}, in the lab's order (x/a, x/b, … z/c). */
    List<String> pods() {
        return List.copyOf(podLabels.keySet());
    }

    /** The pod's address in the lab. */
    String ip(String pod) {
        return require(podIps, pod, "pod");
    }

    /** Adds labels to a pod (upstream's {@code AddPodLabels}). */
    void addPodLabels(String pod, Map<String, String> labels) {
        require(podLabels, pod, "pod").putAll(labels);
    }

    /** Adds labels to a namespace (upstream's {@code AddNamespaceLabel}). */
    void addNamespaceLabels(String namespace, Map<String, String> labels) {
        require(namespaceLabels, namespace, "namespace").putAll(labels);
    }

    private static <V> V require(Map<String, V> map, String key, String what) {
        V v = map.get(key);
        if (v == null) {
            throw new IllegalArgumentException("no " + what + " " + key + " in the e2e model (" + map.keySet() + ")");
        }
        return v;
    }

    /** The identity labels of a pod, as the agent derives them. */
    Labels labels(String pod) {
        String ns = pod.substring(0, pod.indexOf('/'));
        return Labels.ofPod(ns, podLabels.get(pod), namespaceLabels.get(ns));
    }

    /** The resolved policy of every pod under {@code policies}, with fresh identities. */
    Resolved resolve(List<Policy> policies) {
        IdentityAllocator ids = IdentityAllocator.inMemory();
        Map<String, Identity> identity = new LinkedHashMap<>();
        Map<Integer, List<NamedPort>> portsOfIdentity = new HashMap<>();
        for (String pod : pods()) {
            Identity id = ids.allocate(labels(pod));
            identity.put(pod, id);
            portsOfIdentity.computeIfAbsent(id.id(), k -> new ArrayList<>()).addAll(podPorts.get(pod));
        }
        PolicyResolver resolver = new PolicyResolver(ids.all(), i -> portsOfIdentity.getOrDefault(i.id(), List.of()));
        Map<String, EndpointPolicy> policy = new LinkedHashMap<>();
        for (String pod : pods()) {
            policy.put(pod, resolver.resolve(identity.get(pod).labels(), podPorts.get(pod), policies));
        }
        return new Resolved(identity, policy);
    }

    /** The pods' identities and resolved policies at one moment. */
    record Resolved(Map<String, Identity> identity, Map<String, EndpointPolicy> policy) {
        /** Whether {@code from} reaches {@code to} on the port: egress from one and ingress into the other allowed. */
        boolean reaches(String from, String to, Protocol protocol, int port) {
            boolean out = policy.get(from).decide(identity.get(to).id(), Direction.EGRESS, protocol.number(), port)
                    == Verdict.ALLOW;
            boolean in = policy.get(to).decide(identity.get(from).id(), Direction.INGRESS, protocol.number(), port)
                    == Verdict.ALLOW;
            return out && in;
        }

        /** The matrix for one port and protocol. */
        TruthTable reachability(List<String> pods, Protocol protocol, int port) {
            TruthTable t = new TruthTable(pods, false);
            for (String from : pods) {
                for (String to : pods) {
                    t.set(from, to, reaches(from, to, protocol, port));
                }
            }
            return t;
        }
    }
}
