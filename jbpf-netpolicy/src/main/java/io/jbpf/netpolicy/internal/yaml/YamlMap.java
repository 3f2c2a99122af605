package io.jbpf.netpolicy.internal.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Typed access to the fields of one YAML mapping, remembering which were read so that
 * {@link #noOtherFields()} can refuse unknown ones. Every error names the field and its position.
 */
public final class YamlMap {
    private final YamlNode.Mapping node;
    private final Set<String> read = new LinkedHashSet<>();

    private YamlMap(YamlNode.Mapping node) {
        this.node = node;
    }

    /** {@code n} as a mapping (YAML null counts as an empty one). */
    public static YamlMap of(YamlNode n) {
        if (n instanceof YamlNode.Mapping) {
            return new YamlMap((YamlNode.Mapping) n);
        }
        if (n instanceof YamlNode.Scalar && ((YamlNode.Scalar) n).text() == null) {
            return new YamlMap(new YamlNode.Mapping(n.path(), n.line(), n.column(), Map.of(), Map.of()));
        }
        throw YamlFieldException.at(n, "expected a mapping, found " + n.kind());
    }

    public YamlNode.Mapping node() {
        return node;
    }

    private String pathOf(String key) {
        return node.path().isEmpty() ? key : node.path() + "." + key;
    }

    /** The field, if present and not null. */
    public Optional<YamlNode> field(String key) {
        read.add(key);
        YamlNode n = node.entries().get(key);
        if (n instanceof YamlNode.Scalar && ((YamlNode.Scalar) n).text() == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(n);
    }

    /** The field; missing is an error. */
    public YamlNode required(String key) {
        return field(key).orElseThrow(() -> new YamlFieldException(pathOf(key), node.line(), node.column(),
                "missing (required)"));
    }

    /** A scalar field as text. */
    public Optional<String> string(String key) {
        return field(key).map(YamlMap::text);
    }

    /** A required scalar field as text. */
    public String requiredString(String key) {
        return text(required(key));
    }

    /** A scalar field converted by {@code parse}; its {@link IllegalArgumentException} names the field. */
    public <T> Optional<T> parsed(String key, Function<String, T> parse) {
        return field(key).map(n -> convert(n, parse));
    }

    /** A required scalar converted by {@code parse}. */
    public <T> T requiredParsed(String key, Function<String, T> parse) {
        return convert(required(key), parse);
    }

    /** An integer field. */
    public Optional<Integer> integer(String key) {
        return parsed(key, s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "' is not an integer");
            }
        });
    }

    /** A mapping field (absent: empty mapping). */
    public YamlMap map(String key) {
        return field(key).map(YamlMap::of)
                .orElseGet(() -> new YamlMap(new YamlNode.Mapping(pathOf(key), node.line(), node.column(), Map.of(), Map.of())));
    }

    /** A list field (absent: empty). */
    public List<YamlNode> list(String key) {
        Optional<YamlNode> f = field(key);
        if (f.isEmpty()) {
            return List.of();
        }
        if (!(f.get() instanceof YamlNode.Sequence)) {
            throw YamlFieldException.at(f.get(), "expected a list, found " + f.get().kind());
        }
        return ((YamlNode.Sequence) f.get()).items();
    }

    /** A mapping of string to string (labels), in document order. */
    public Map<String, String> stringMap(String key) {
        YamlMap m = map(key);
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, YamlNode> e : m.node.entries().entrySet()) {
            m.read.add(e.getKey());
            YamlNode v = e.getValue();
            String text = v instanceof YamlNode.Scalar ? ((YamlNode.Scalar) v).text() : null;
            if (text == null) {
                throw YamlFieldException.at(v, "expected a string value, found " + v.kind());
            }
            out.put(e.getKey(), text);
        }
        return out;
    }

    /** Refuses fields that were never read, naming the first and listing the ones that were. */
    public void noOtherFields() {
        List<String> unknown = new ArrayList<>();
        for (String k : node.entries().keySet()) {
            if (!read.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            YamlNode.KeyPosition bad = node.keyPosition(unknown.get(0));
            throw new YamlFieldException(pathOf(unknown.get(0)), bad.line(), bad.column(),
                    "unknown field (known: " + String.join(", ", read) + ")");
        }
    }

    /** A scalar's text; a mapping, list or null is an error. */
    public static String text(YamlNode n) {
        if (n instanceof YamlNode.Scalar && ((YamlNode.Scalar) n).text() != null) {
            return ((YamlNode.Scalar) n).text();
        }
        throw YamlFieldException.at(n, "expected a scalar value, found " + n.kind());
    }

    /** {@code n}'s text converted by {@code parse}; its {@link IllegalArgumentException} names the field. */
    public static <T> T convert(YamlNode n, Function<String, T> parse) {
        String s = text(n);
        try {
            return parse.apply(s);
        } catch (IllegalArgumentException e) {
            throw YamlFieldException.at(n, e.getMessage());
        }
    }
}
