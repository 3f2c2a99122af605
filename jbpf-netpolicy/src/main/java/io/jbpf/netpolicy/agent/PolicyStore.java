package io.jbpf.netpolicy.agent;

import io.jbpf.netpolicy.policy.InvalidPolicyException;
import io.jbpf.netpolicy.policy.Policy;
import io.jbpf.netpolicy.policy.PolicyYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The imported policies of a cluster: one file per policy document in a directory every agent
 * reads, and a revision number that grows with each change. An import is checked whole before
 * anything is written; each document replaces the one of the same name.
 */
public final class PolicyStore {
    private final StoreDirectory store;

    /** The store in {@code dir} (created when missing). */
    public PolicyStore(Path dir) {
        this.store = new StoreDirectory(dir, "policy");
    }

    /** The revision: 0 before the first change. */
    public synchronized long revision() {
        return store.revision();
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
        return store.locked(() -> {
            docs.forEach(store::write);
            return store.bump();
        });
    }

    /**
     * Deletes the policy {@code name} ({@code namespace/name}, or a name in namespace
     * {@code default}, or the name of a cluster-wide policy).
     *
     * @return the new revision
     * @throws AgentException when there is no such policy
     */
    public synchronized long delete(String name) {
        List<String> candidates = name.contains("/") ? List.of(name.replace('/', '_') + ".yaml")
                : List.of("default_" + name + ".yaml", "_cluster_" + name + ".yaml");
        long rev = store.locked(() -> {
            for (String file : candidates) {
                if (store.delete(file)) {
                    return store.bump();
                }
            }
            return -1;
        });
        if (rev < 0) {
            throw new AgentException("no policy named '" + name + "' (policies: " + String.join(", ", names()) + ")");
        }
        return rev;
    }

    /** The stored documents by policy name, in name order. */
    public synchronized Map<String, String> documents() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path p : store.yamlFiles()) {
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

    /** Bumps the revision for a change of the cluster state other than a policy (labels); returns it. */
    synchronized long touch() {
        return store.locked(store::bump);
    }
}
