package io.jbpf.netpolicy.lab;

import java.util.Map;

/**
 * A Kubernetes namespace of the lab and its labels (the ones a {@code namespaceSelector} matches).
 *
 * @param name   the namespace name
 * @param labels its labels
 */
public record NamespaceSpec(String name, Map<String, String> labels) {
    public NamespaceSpec {
        labels = Map.copyOf(labels);
    }
}
