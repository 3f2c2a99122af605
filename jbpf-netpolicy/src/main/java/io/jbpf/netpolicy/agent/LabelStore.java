package io.jbpf.netpolicy.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Labels of pods and namespaces changed after the lab came up ({@code kubectl label} in a real
 * cluster): one file per pod or namespace holding its whole label set, in a directory every agent
 * reads. A change bumps the cluster's revision, so every agent re-evaluates identities and policy
 * without any policy being imported again.
 */
public final class LabelStore {
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");

    private final Path dir;
    private final PolicyStore revision;

    /** The store in {@code dir}; changes bump {@code revision}'s number. */
    public LabelStore(Path dir, PolicyStore revision) {
        this.dir = dir;
        this.revision = revision;
    }

    /** The labels set for pod {@code namespace/pod}, if they were changed. */
    public Optional<Map<String, String>> pod(String namespace, String pod) {
        return read(dir.resolve("pod_" + namespace + "_" + pod));
    }

    /** The labels set for a namespace, if they were changed. */
    public Optional<Map<String, String>> namespace(String namespace) {
        return read(dir.resolve("ns_" + namespace));
    }

    /**
     * Sets a pod's whole label set.
     *
     * @return the new revision
     * @throws IllegalArgumentException for a key or value Kubernetes would refuse
     */
    public long setPod(String namespace, String pod, Map<String, String> labels) {
        return write(dir.resolve("pod_" + namespace + "_" + pod), labels);
    }

    /** Sets a namespace's whole label set; returns the new revision. */
    public long setNamespace(String namespace, Map<String, String> labels) {
        return write(dir.resolve("ns_" + namespace), labels);
    }

    private Optional<Map<String, String>> read(Path f) {
        if (!Files.exists(f)) {
            return Optional.empty();
        }
        try {
            Map<String, String> out = new LinkedHashMap<>();
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    out.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            return Optional.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long write(Path f, Map<String, String> labels) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(labels).forEach((k, v) -> {
            if (!KEY.matcher(k).matches() || k.length() > 316) {
                throw new IllegalArgumentException("'" + k + "' is not a valid label key");
            }
            if (!VALUE.matcher(v).matches() || v.length() > 63) {
                throw new IllegalArgumentException("'" + v + "' is not a valid label value (key " + k + ")");
            }
            b.append(k).append('=').append(v).append('\n');
        });
        try {
            Files.createDirectories(dir);
            Path tmp = f.resolveSibling("." + f.getFileName() + ".tmp");
            Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + f + ": " + e.getMessage(), e);
        }
        return revision.touch();
    }
}
