package io.jbpf.netpolicy.identity;

import java.util.Objects;

/**
 * One label of an endpoint or of a peer, as Cilium writes it: {@code source:key=value}. Sources
 * used here are {@code k8s} (pod labels, and the namespace labels and name the agent adds),
 * {@code reserved} (the reserved identities: {@code reserved:host}, {@code reserved:world}, …) and
 * {@code cidr} (the prefixes of CIDR identities). A selector key without a source matches a label
 * of any source.
 *
 * @param source where the label comes from ({@code k8s}, {@code reserved}, {@code cidr}, …)
 * @param key    the key (for {@code reserved} and {@code cidr}, the name or the prefix)
 * @param value  the value, empty when the label has none
 */
public record Label(String source, String key, String value) implements Comparable<Label> {
    /** The source of pod and namespace labels. */
    public static final String K8S = "k8s";
    /** The source of the reserved identities' labels. */
    public static final String RESERVED = "reserved";
    /** The source of CIDR identities' labels. */
    public static final String CIDR = "cidr";
    /** The label key that carries a pod's Kubernetes namespace. */
    public static final String NAMESPACE_KEY = "io.kubernetes.pod.namespace";
    /** The key prefix under which a pod's identity carries its namespace's labels. */
    public static final String NAMESPACE_LABELS_PREFIX = "io.cilium.k8s.namespace.labels.";

    /** @throws IllegalArgumentException when the source or key is empty or holds a separator */
    public Label {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        if (source.isEmpty() || source.indexOf(':') >= 0) {
            throw new IllegalArgumentException("label source '" + source + "' must be non-empty and hold no ':'");
        }
        if (key.isEmpty() || key.indexOf('=') >= 0) {
            throw new IllegalArgumentException("label key '" + key + "' must be non-empty and hold no '='");
        }
    }

    /** A {@code k8s:key=value} label. */
    public static Label k8s(String key, String value) {
        return new Label(K8S, key, value);
    }

    /** A {@code reserved:name} label. */
    public static Label reserved(String name) {
        return new Label(RESERVED, name, "");
    }

    /**
     * Parses {@code source:key=value}, {@code source:key} or {@code key=value} (whose source is
     * {@code k8s}). A key may itself hold ':' (IPv6 prefixes in {@code cidr:} labels): the source is
     * the text before the first ':' only when that text is one of the known sources.
     */
    public static Label parse(String text) {
        String source = K8S;
        String rest = text;
        int colon = text.indexOf(':');
        if (colon > 0) {
            String s = text.substring(0, colon);
            if (s.equals(K8S) || s.equals(RESERVED) || s.equals(CIDR) || s.equals("any") || s.equals("unspec")) {
                source = s;
                rest = text.substring(colon + 1);
            }
        }
        int eq = rest.indexOf('=');
        return eq < 0 ? new Label(source, rest, "") : new Label(source, rest.substring(0, eq), rest.substring(eq + 1));
    }

    @Override
    public int compareTo(Label o) {
        int c = source.compareTo(o.source);
        if (c == 0) {
            c = key.compareTo(o.key);
        }
        return c != 0 ? c : value.compareTo(o.value);
    }

    @Override
    public String toString() {
        return value.isEmpty() ? source + ":" + key : source + ":" + key + "=" + value;
    }
}
