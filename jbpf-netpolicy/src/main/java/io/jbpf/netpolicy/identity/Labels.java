package io.jbpf.netpolicy.identity;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * An immutable, sorted set of {@link Label}s: what an identity stands for. Two endpoints with equal
 * labels share one identity.
 */
public final class Labels implements Iterable<Label> {
    private static final Labels EMPTY = new Labels(new TreeSet<>());

    private final SortedSet<Label> labels;

    private Labels(SortedSet<Label> labels) {
        this.labels = Collections.unmodifiableSortedSet(labels);
    }

    /** No labels. */
    public static Labels empty() {
        return EMPTY;
    }

    /** These labels. */
    public static Labels of(Collection<Label> labels) {
        return new Labels(new TreeSet<>(labels));
    }

    /** These labels. */
    public static Labels of(Label... labels) {
        return of(List.of(labels));
    }

    /** Labels parsed by {@link Label#parse}, e.g. {@code "k8s:app=web", "reserved:host"}. */
    public static Labels parse(String... labels) {
        List<Label> out = new ArrayList<>();
        for (String l : labels) {
            out.add(Label.parse(l));
        }
        return of(out);
    }

    /**
     * The labels of a pod's identity as the agent derives them: its own labels, its namespace's
     * name ({@code k8s:io.kubernetes.pod.namespace}) and its namespace's labels
     * ({@code k8s:io.cilium.k8s.namespace.labels.KEY}), all with source {@code k8s}.
     */
    public static Labels ofPod(String namespace, Map<String, String> podLabels, Map<String, String> namespaceLabels) {
        List<Label> out = new ArrayList<>();
        podLabels.forEach((k, v) -> out.add(Label.k8s(k, v)));
        out.add(Label.k8s(Label.NAMESPACE_KEY, namespace));
        namespaceLabels.forEach((k, v) -> out.add(Label.k8s(Label.NAMESPACE_LABELS_PREFIX + k, v)));
        return of(out);
    }

    /** These labels and {@code more}. */
    public Labels with(Label... more) {
        TreeSet<Label> s = new TreeSet<>(labels);
        s.addAll(List.of(more));
        return new Labels(s);
    }

    /** Whether there are none. */
    public boolean isEmpty() {
        return labels.isEmpty();
    }

    /** Whether {@code label} is one of these. */
    public boolean contains(Label label) {
        return labels.contains(label);
    }

    /**
     * The value of the label with {@code key}: of that source when {@code source} is given (not
     * null and not {@code any}), else of the first source that has the key.
     */
    public Optional<String> value(String source, String key) {
        for (Label l : labels) {
            if (l.key().equals(key) && (source == null || source.equals("any") || l.source().equals(source))) {
                return Optional.of(l.value());
            }
        }
        return Optional.empty();
    }

    /** The labels as a sorted set. */
    public SortedSet<Label> asSet() {
        return labels;
    }

    @Override
    public Iterator<Label> iterator() {
        return labels.iterator();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && labels.equals(other.labels);
    }

    @Override
    public int hashCode() {
        return labels.hashCode();
    }

    /** Cilium's form: the labels separated by commas. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Label l : labels) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(l);
        }
        return b.toString();
    }
}
