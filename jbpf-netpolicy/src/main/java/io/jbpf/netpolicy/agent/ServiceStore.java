package io.jbpf.netpolicy.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.jbpf.netpolicy.service.EndpointSlice;
import io.jbpf.netpolicy.service.InvalidServiceException;
import io.jbpf.netpolicy.service.ResolvedService;
import io.jbpf.netpolicy.service.ServiceYaml;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The imported Kubernetes Services and EndpointSlices of a cluster: one file per object in a
 * directory every agent reads ({@code service_<namespace>_<name>.yaml},
 * {@code endpointslice_<namespace>_<name>.yaml}), and a revision number that grows with each change.
 *
 * <p>An import may hold Services, EndpointSlices, or both, as separate documents or the items of a
 * v1 {@code List}; each object replaces the stored one of the same kind, namespace and name. A slice
 * may come without its service when that service is already stored (so re-importing a slice is how
 * endpoints change). Before anything is written the store checks the state the import would leave:
 * the imported text first, then every stored object it does not replace, all through
 * {@link ServiceYaml#parse} — so an error in the import is reported at its own line and column, and
 * a conflict with a stored object (e.g. the same frontend) names that object. A refused import
 * changes nothing. Deleting a service deletes its slices too.
 */
public final class ServiceStore {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).build());
    private static final String SERVICE = "service", SLICE = "endpointslice";

    private final StoreDirectory store;

    /** The store in {@code dir} (created on the first import). */
    public ServiceStore(Path dir) {
        this.store = new StoreDirectory(dir, "service");
    }

    /** The revision: 0 before the first change. */
    public synchronized long revision() {
        return store.revision();
    }

    /**
     * Imports every Service and EndpointSlice of {@code yaml}.
     *
     * @return the new revision
     * @throws InvalidServiceException when the import is invalid, or the state it would leave is (a
     *     slice whose service is neither imported nor stored, a frontend two services claim); nothing
     *     is imported then
     */
    public synchronized long importYaml(String yaml) {
        return store.locked(() -> importLocked(yaml));
    }

    private long importLocked(String yaml) {
        Map<String, String> imported = objects(yaml);
        Map<String, String> stored = files();
        Map<String, String> kept = new LinkedHashMap<>(stored);
        imported.keySet().forEach(kept::remove);
        check(yaml, kept);
        if (imported.isEmpty()) {
            throw new InvalidServiceException("", 0, 0, "no Service or EndpointSlice in the input");
        }
        // the state after the import, exactly as it will be stored, must read back
        Map<String, String> after = new LinkedHashMap<>(kept);
        after.putAll(imported);
        resolve(after);
        // services before slices: a reader in between never sees a slice without its service
        imported.entrySet().stream().sorted((a, b) -> Boolean.compare(a.getKey().startsWith(SLICE),
                b.getKey().startsWith(SLICE))).forEach(e -> store.write(e.getKey(), e.getValue()));
        return store.bump();
    }

    /**
     * Deletes the service {@code name} ({@code namespace/name}, or a name in namespace
     * {@code default}) and its EndpointSlices.
     *
     * @return the new revision
     * @throws AgentException when there is no such service
     */
    public synchronized long delete(String name) {
        return store.locked(() -> deleteLocked(name));
    }

    private long deleteLocked(String name) {
        String qualified = name.contains("/") ? name : "default/" + name;
        ResolvedService found = null;
        for (ResolvedService rs : services()) {
            if (rs.service().qualifiedName().equals(qualified)) {
                found = rs;
            }
        }
        if (found == null) {
            throw new AgentException("no service named '" + name + "' (services: " + String.join(", ", names()) + ")");
        }
        for (EndpointSlice s : found.slices()) {
            store.delete(fileName(SLICE, s.namespace(), s.name()));
        }
        store.delete(fileName(SERVICE, found.service().namespace(), found.service().name()));
        return store.bump();
    }

    /** Every stored service resolved with its stored slices, in file name order. */
    public synchronized List<ResolvedService> services() {
        return resolve(files());
    }

    /** The {@code namespace/name} of each stored service. */
    public List<String> names() {
        return services().stream().map(rs -> rs.service().qualifiedName()).toList();
    }

    /** The stored objects by {@code kind namespace/name} ({@code Service default/web}), in file name order. */
    public synchronized Map<String, String> documents() {
        Map<String, String> out = new LinkedHashMap<>();
        files().forEach((file, text) -> {
            String[] p = file.replaceFirst("\\.yaml$", "").split("_", 3);
            out.put((p[0].equals(SERVICE) ? "Service " : "EndpointSlice ") + p[1] + "/" + p[2], text);
        });
        return out;
    }

    /** The stored files: name to text. */
    private Map<String, String> files() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path p : store.yamlFiles()) {
            try {
                out.put(p.getFileName().toString(), Files.readString(p));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the services in " + store.path() + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private static List<ResolvedService> resolve(Map<String, String> files) {
        if (files.isEmpty()) {
            return List.of();
        }
        return ServiceYaml.parse(String.join("\n---\n", files.values()));
    }

    /**
     * Parses the import followed by the stored objects it keeps; errors past the import's own lines
     * name the stored object they are in.
     */
    private static void check(String yaml, Map<String, String> kept) {
        StringBuilder all = new StringBuilder(yaml);
        if (!yaml.endsWith("\n")) {
            all.append('\n');
        }
        int importLines = (int) all.chars().filter(c -> c == '\n').count();
        List<int[]> ranges = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (Map.Entry<String, String> e : kept.entrySet()) {
            all.append("---\n");
            int first = (int) all.chars().filter(c -> c == '\n').count() + 1;
            all.append(e.getValue());
            if (!e.getValue().endsWith("\n")) {
                all.append('\n');
            }
            ranges.add(new int[] {first, (int) all.chars().filter(c -> c == '\n').count()});
            owners.add(e.getKey());
        }
        try {
            ServiceYaml.parse(all.toString());
        } catch (InvalidServiceException e) {
            String msg = e.getMessage().replace("which is not in this input (import a service together with its EndpointSlices)",
                    "which is neither in this import nor stored");
            if (e.line() > importLines) {
                for (int i = 0; i < ranges.size(); i++) {
                    if (e.line() >= ranges.get(i)[0] && e.line() <= ranges.get(i)[1]) {
                        String[] p = owners.get(i).replaceFirst("\\.yaml$", "").split("_", 3);
                        throw new InvalidServiceException(e.field(), 0, 0, msg.replaceFirst("^line \\d+, column \\d+: ", "")
                                + " (in the stored "
                                + (p[0].equals(SERVICE) ? "Service " : "EndpointSlice ") + p[1] + "/" + p[2] + ")");
                    }
                }
            }
            if (msg.equals(e.getMessage())) {
                throw e;
            }
            throw new InvalidServiceException(e.field(), e.line(), e.column(), msg);
        }
    }

    /**
     * The objects of {@code yaml} by file name: a document's own text, or a {@code List}'s items
     * written out one by one. Only called on text {@link #check} accepted apart from the stored state.
     */
    private static Map<String, String> objects(String yaml) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String doc : PolicyStore.documents(yaml)) {
            JsonNode n;
            try {
                n = YAML.readTree(doc);
            } catch (IOException e) {
                // ServiceYaml names the line and column
                ServiceYaml.parse(yaml);
                throw new InvalidServiceException("", 0, 0, "not valid YAML: " + e.getMessage());
            }
            if (n == null || n.isMissingNode() || n.isNull()) {
                continue;
            }
            if (n.path("kind").asText().equals("List")) {
                for (JsonNode item : n.path("items")) {
                    try {
                        add(out, item, YAML.writeValueAsString(item), yaml);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            } else {
                add(out, n, doc, yaml);
            }
        }
        return out;
    }

    private static void add(Map<String, String> out, JsonNode object, String text, String yaml) {
        String kind = object.path("kind").asText("");
        String name = object.path("metadata").path("name").asText("");
        String namespace = object.path("metadata").path("namespace").asText("default");
        String k = kind.equals("Service") ? SERVICE : kind.equals("EndpointSlice") ? SLICE : null;
        if (k == null || !name.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || !namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")) {
            // not storable: ServiceYaml says precisely why
            ServiceYaml.parse(yaml);
            throw new InvalidServiceException("", 0, 0, "a document is not a Service or EndpointSlice with a valid name");
        }
        String file = fileName(k, namespace, name);
        if (out.put(file, text) != null) {
            ServiceYaml.parse(yaml);
            throw new InvalidServiceException("metadata.name", 0, 0, kind + " " + namespace + "/" + name + " is given twice");
        }
    }

    private static String fileName(String kind, String namespace, String name) {
        return kind.toLowerCase(Locale.ROOT) + "_" + namespace + "_" + name + ".yaml";
    }
}
