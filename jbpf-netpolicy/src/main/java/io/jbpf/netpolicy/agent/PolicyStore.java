package io.jbpf.netpolicy.agent;

import io.jbpf.netpolicy.policy.InvalidPolicyException;
import io.jbpf.netpolicy.policy.Policy;
import io.jbpf.netpolicy.policy.PolicyYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The imported policies of a cluster: one file per policy document in a directory every agent
 * reads, and a revision number that grows with each change. An import is checked whole before
 * anything is written; each document replaces the one of the same name.
 */
public final class PolicyStore {
    private final Path dir;

    /** The store in {@code dir} (created when missing). */
    public PolicyStore(Path dir) {
        this.dir = dir;
    }

    /** The revision: 0 before the first change. */
    public synchronized long revision() {
        Path r = dir.resolve("revision");
        try {
            return Files.exists(r) ? Long.parseLong(Files.readString(r).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            throw new AgentException("cannot read the policy revision " + r + ": " + e.getMessage(), e);
        }
    }

    /**
     * Imports every document of {@code yaml}.
     *
     * @return the new revision
     * @throws InvalidPolicyException when any document is invalid; nothing is imported then
     */
    public synchronized long importYaml(String yaml) {
        Map<String, String> docs = new LinkedHashMap<>();
        for (String doc : documents(yaml)) {
            List<Policy> ps = PolicyYaml.parse(doc);
            if (ps.isEmpty()) {
                continue;
            }
            docs.put(fileName(ps.get(0)), doc);
        }
        if (docs.isEmpty()) {
            throw new InvalidPolicyException("", 0, 0, "no policy in the file");
        }
        docs.forEach(this::write);
        return bump();
    }

    /**
     * Deletes the policy {@code name} ({@code namespace/name}, or a name in namespace
     * {@code default}, or the name of a cluster-wide policy).
     *
     * @return the new revision
     * @throws AgentException when there is no such policy
     */
    public synchronized long delete(String name) {
        List<Path> candidates = new ArrayList<>();
        if (name.contains("/")) {
            candidates.add(dir.resolve(name.replace('/', '_') + ".yaml"));
        } else {
            candidates.add(dir.resolve("default_" + name + ".yaml"));
            candidates.add(dir.resolve("_cluster_" + name + ".yaml"));
        }
        for (Path p : candidates) {
            try {
                if (Files.deleteIfExists(p)) {
                    return bump();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new AgentException("no policy named '" + name + "' (policies: " + String.join(", ", names()) + ")");
    }

    /** The stored documents by policy name, in name order. */
    public synchronized Map<String, String> documents() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path p : files()) {
            try {
                String n = p.getFileName().toString().replaceFirst("\\.yaml$", "");
                out.put(n.startsWith("_cluster_") ? n.substring(9) : n.replaceFirst("_", "/"), Files.readString(p));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** The names of the stored policies. */
    public List<String> names() {
        return new ArrayList<>(documents().keySet());
    }

    /** Every stored policy, parsed. */
    public synchronized List<Policy> policies() {
        List<Policy> out = new ArrayList<>();
        for (String doc : documents().values()) {
            out.addAll(PolicyYaml.parse(doc));
        }
        return out;
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documents of a YAML stream (split at {@code ---} lines). */
    static List<String> documents(String yaml) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : yaml.split("\n", -1)) {
            if (line.strip().equals("---")) {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(line).append('\n');
            }
        }
        out.add(cur.toString());
        out.removeIf(s -> s.lines().allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#")));
        return out;
    }

    private static String fileName(Policy p) {
        String name = p.name().replaceFirst("#\\d+$", "");
        return (p.namespace() == null ? "_cluster_" : p.namespace() + "_") + name + ".yaml";
    }

    private void write(String file, String text) {
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("." + file + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(file), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write policy " + file + ": " + e.getMessage(), e);
        }
    }

    /** Bumps the revision for a change of the cluster state other than a policy (labels); returns it. */
    synchronized long touch() {
        return bump();
    }

    private long bump() {
        long next = revision() + 1;
        write("revision", Long.toString(next));
        return next;
    }
}
