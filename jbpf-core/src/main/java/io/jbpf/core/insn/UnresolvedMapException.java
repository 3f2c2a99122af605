package io.jbpf.core.insn;

import io.jbpf.core.JbpfException;
import java.util.List;
import java.util.stream.Collectors;

/** Map references whose map has no fd: the program refers to maps that were not given. */
public class UnresolvedMapException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final transient List<MapReference> unresolved;

    UnresolvedMapException(List<MapReference> unresolved) {
        super("unresolved map reference" + (unresolved.size() == 1 ? "" : "s") + ": "
                + unresolved.stream()
                        .map(r -> "'" + r.mapName() + "' (instruction " + r.index() + ")")
                        .collect(Collectors.joining(", ")));
        this.unresolved = List.copyOf(unresolved);
    }

    /** Every reference that could not be resolved, in program order. */
    public List<MapReference> unresolved() {
        return unresolved;
    }

    /** The distinct names of the missing maps, in program order. */
    public List<String> mapNames() {
        return unresolved.stream().map(MapReference::mapName).distinct().collect(Collectors.toList());
    }
}
