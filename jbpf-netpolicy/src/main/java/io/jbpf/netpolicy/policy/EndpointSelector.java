package io.jbpf.netpolicy.policy;

import io.jbpf.netpolicy.identity.Label;
import io.jbpf.netpolicy.identity.Labels;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Kubernetes label selector over an identity's labels: every {@code matchLabels} pair and every
 * {@code matchExpressions} requirement must hold; an empty selector selects every label set.
 * Keys are {@code source:key} or a bare {@code key} that matches a label of any source, as in
 * Cilium's endpoint selectors ({@code app}, {@code k8s:app},
 * {@code k8s:io.kubernetes.pod.namespace}, {@code reserved:host}).
 *
 * @param matchLabels      key → value pairs that must all be present
 * @param matchExpressions requirements that must all hold
 */
public record EndpointSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {
    /** The selector of everything. */
    public static final EndpointSelector ALL = new EndpointSelector(Map.of(), List.of());

    /** An operator of a {@link Requirement}. */
    public enum Operator {
        /** The label is present with one of the values. */
        IN,
        /** The label is absent, or present with none of the values. */
        NOT_IN,
        /** The label is present. */
        EXISTS,
        /** The label is absent. */
        DOES_NOT_EXIST
    }

    /**
     * One {@code matchExpressions} entry.
     *
     * @param key      the label key ({@code source:key} or a bare key)
     * @param operator the test
     * @param values   the values of {@code IN}/{@code NOT_IN} (non-empty), none for the others
     */
    public record Requirement(String key, Operator operator, Set<String> values) {
        /** @throws IllegalArgumentException when the values do not fit the operator */
        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = Set.copyOf(values);
            boolean needsValues = operator == Operator.IN || operator == Operator.NOT_IN;
            if (needsValues && values.isEmpty()) {
                throw new IllegalArgumentException("matchExpressions key '" + key + "': operator " + operator
                        + " needs at least one value");
            }
            if (!needsValues && !values.isEmpty()) {
                throw new IllegalArgumentException("matchExpressions key '" + key + "': operator " + operator
                        + " takes no values");
            }
        }

        boolean matches(Labels labels) {
            Optional<String> v = value(labels, key);
            switch (operator) {
                case IN:
                    return v.isPresent() && values.contains(v.get());
                case NOT_IN:
                    return v.isEmpty() || !values.contains(v.get());
                case EXISTS:
                    return v.isPresent();
                default:
                    return v.isEmpty();
            }
        }
    }

    /** Copies the maps (sorted, for stable printing). */
    public EndpointSelector {
        matchLabels = Map.copyOf(new TreeMap<>(matchLabels));
        matchExpressions = List.copyOf(matchExpressions);
    }

    /** A selector of these label pairs only. */
    public static EndpointSelector matchLabels(Map<String, String> labels) {
        return new EndpointSelector(labels, List.of());
    }

    /** This selector with one more requirement. */
    public EndpointSelector and(Requirement r) {
        List<Requirement> more = new java.util.ArrayList<>(matchExpressions);
        more.add(r);
        return new EndpointSelector(matchLabels, more);
    }

    /** Whether this selector selects everything. */
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /** Whether any of this selector's keys (bare or with a source) is {@code key} of {@code source}. */
    public boolean mentions(String source, String key) {
        for (String k : matchLabels.keySet()) {
            if (sameKey(k, source, key)) {
                return true;
            }
        }
        for (Requirement r : matchExpressions) {
            if (sameKey(r.key(), source, key)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameKey(String selectorKey, String source, String key) {
        int colon = selectorKey.indexOf(':');
        if (colon > 0 && isSource(selectorKey.substring(0, colon))) {
            String s = selectorKey.substring(0, colon);
            return selectorKey.substring(colon + 1).equals(key) && (s.equals(source) || s.equals("any"));
        }
        return selectorKey.equals(key);
    }

    private static boolean isSource(String s) {
        return s.equals(Label.K8S) || s.equals(Label.RESERVED) || s.equals(Label.CIDR) || s.equals("any");
    }

    /** Whether {@code labels} satisfy every pair and requirement. */
    public boolean matches(Labels labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            Optional<String> v = value(labels, e.getKey());
            if (v.isEmpty() || !v.get().equals(e.getValue())) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** The value of the label a selector key names; a bare key matches any source. */
    static Optional<String> value(Labels labels, String selectorKey) {
        int colon = selectorKey.indexOf(':');
        if (colon > 0 && isSource(selectorKey.substring(0, colon))) {
            return labels.value(selectorKey.substring(0, colon), selectorKey.substring(colon + 1));
        }
        return labels.value(null, selectorKey);
    }
}
