package io.jbpf.netpolicy.internal.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads YAML text into {@link YamlNode}s that remember their line and column (Jackson's streaming
 * YAML parser; no syscall, no class instantiation from tags). A duplicate key is an error, not a
 * silent override.
 */
public final class YamlTrees {
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private YamlTrees() {}

    /**
     * The first document of {@code text}; an empty document is an empty mapping.
     *
     * @throws YamlFieldException on a syntax error or a duplicate key
     */
    public static YamlNode parse(String text) {
        try (JsonParser p = FACTORY.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new YamlNode.Mapping("", 1, 1, Map.of(), Map.of());
            }
            return read(p, "");
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            String msg = e.getOriginalMessage();
            throw new YamlFieldException("", l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    "not valid YAML: " + firstLine(msg));
        } catch (IOException e) {
            throw new YamlFieldException("", 0, 0, "cannot read YAML: " + e.getMessage());
        }
    }

    /**
     * Every document of {@code text} (separated by {@code ---}), skipping empty ones.
     *
     * @throws YamlFieldException on a syntax error or a duplicate key
     */
    public static List<YamlNode> parseAll(String text) {
        List<YamlNode> docs = new ArrayList<>();
        try (JsonParser p = FACTORY.createParser(text)) {
            while (p.nextToken() != null) {
                YamlNode n = read(p, "");
                if (!(n instanceof YamlNode.Scalar && (((YamlNode.Scalar) n).text() == null || ((YamlNode.Scalar) n).text().isEmpty()))) {
                    docs.add(n);
                }
            }
            return docs;
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new YamlFieldException("", l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    "not valid YAML: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new YamlFieldException("", 0, 0, "cannot read YAML: " + e.getMessage());
        }
    }

    /**
     * The parser's message without the quoted source lines and positions (the exception has
     * those): SnakeYAML writes the context and the problem each on a line of its own.
     */
    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        List<String> parts = new ArrayList<>();
        for (String line : s.split("\n")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                parts.add(line.strip());
            }
        }
        return parts.isEmpty() ? s.strip() : String.join(": ", parts);
    }

    private static YamlNode read(JsonParser p, String path) throws IOException {
        JsonLocation l = p.currentTokenLocation();
        int line = l.getLineNr();
        int col = l.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, YamlNode> entries = new LinkedHashMap<>();
                Map<String, YamlNode.KeyPosition> keys = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation kl = p.currentTokenLocation();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    if (entries.containsKey(key)) {
                        throw new YamlFieldException(childPath, kl.getLineNr(), kl.getColumnNr(), "duplicate key '" + key + "'");
                    }
                    keys.put(key, new YamlNode.KeyPosition(kl.getLineNr(), kl.getColumnNr()));
                    p.nextToken();
                    entries.put(key, read(p, childPath));
                }
                return new YamlNode.Mapping(path, line, col, entries, keys);
            }
            case START_ARRAY: {
                List<YamlNode> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(read(p, path + "[" + items.size() + "]"));
                }
                return new YamlNode.Sequence(path, line, col, items);
            }
            case VALUE_NULL:
                return new YamlNode.Scalar(path, line, col, null, false);
            case VALUE_STRING:
                return new YamlNode.Scalar(path, line, col, p.getText(), true);
            default:
                return new YamlNode.Scalar(path, line, col, p.getText(), false);
        }
    }
}
