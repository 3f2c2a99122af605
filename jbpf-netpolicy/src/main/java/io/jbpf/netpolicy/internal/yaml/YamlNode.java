package io.jbpf.netpolicy.internal.yaml;

import java.util.List;
import java.util.Map;

/**
 * A YAML value with where it was found: its path from the document root ({@code pods[2].labels})
 * and its 1-based line and column.
 */
public sealed interface YamlNode permits YamlNode.Scalar, YamlNode.Mapping, YamlNode.Sequence {

    /** The path from the root, e.g. {@code nodes[0].ip}; empty for the root. */
    String path();

    int line();

    int column();

    /** What kind of value this is, for messages ("a scalar", "a mapping", "a list"). */
    String kind();

    /**
     * A scalar: its text as written ({@code null} for YAML's null).
     *
     * @param quoted whether it was a string in the YAML (as opposed to a number or boolean)
     */
    record Scalar(String path, int line, int column, String text, boolean quoted) implements YamlNode {
        @Override
        public String kind() {
            return text == null ? "null" : "a scalar";
        }
    }

    /** Where a key of a mapping was written. */
    record KeyPosition(int line, int column) {}

    /** A mapping, in document order, with where each key was written. */
    record Mapping(String path, int line, int column, Map<String, YamlNode> entries, Map<String, KeyPosition> keys)
            implements YamlNode {
        public Mapping {
            entries = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
            keys = Map.copyOf(keys);
        }

        /** Where {@code key} was written (the mapping's own position when unknown). */
        public KeyPosition keyPosition(String key) {
            return keys.getOrDefault(key, new KeyPosition(line, column));
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    /** A sequence. */
    record Sequence(String path, int line, int column, List<YamlNode> items) implements YamlNode {
        public Sequence {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }
}
