package io.jbpf.core.insn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Finds and resolves the symbolic map references ({@link LoadMapRef}) of a program: the loader
 * creates the maps, then replaces each reference with a {@link LoadPseudo} carrying the map's fd.
 */
public final class MapReferences {
    private MapReferences() {}

    /** Every map reference in {@code insns}, in program order. */
    public static List<MapReference> list(List<? extends Insn> insns) {
        Check.notNull(insns, "instruction list");
        List<MapReference> refs = new ArrayList<>();
        int slot = 0;
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            if (insn instanceof LoadMapRef r) {
                refs.add(new MapReference(r.mapName(), i, slot, r.value(), r.offset()));
            }
            slot += insn == null ? 1 : insn.slots();
        }
        return Collections.unmodifiableList(refs);
    }

    /**
     * A copy of {@code insns} with every map reference replaced by the map's fd: {@code map[name]}
     * becomes a {@link PseudoSource#MAP_FD} load, {@code map_value[name] + off} a
     * {@link PseudoSource#MAP_VALUE} load. Other instructions are kept as they are.
     *
     * @param fdForName the fd of each map; a negative result means "no such map"
     * @throws UnresolvedMapException naming every reference whose map has no fd
     */
    public static List<Insn> resolve(List<? extends Insn> insns, ToIntFunction<String> fdForName) {
        Check.notNull(insns, "instruction list");
        Check.notNull(fdForName, "map fd lookup");
        List<Insn> out = new ArrayList<>(insns.size());
        List<MapReference> missing = new ArrayList<>();
        int slot = 0;
        for (int i = 0; i < insns.size(); i++) {
            Insn insn = insns.get(i);
            if (insn instanceof LoadMapRef r) {
                int fd = fdForName.applyAsInt(r.mapName());
                if (fd < 0) {
                    missing.add(new MapReference(r.mapName(), i, slot, r.value(), r.offset()));
                }
                out.add(fd < 0 ? r : r.resolve(fd));
            } else {
                out.add(insn);
            }
            slot += insn == null ? 1 : insn.slots();
        }
        if (!missing.isEmpty()) {
            throw new UnresolvedMapException(missing);
        }
        return Collections.unmodifiableList(out);
    }

    /** {@link #resolve(List, ToIntFunction)} with the fds in a map from name to fd. */
    public static List<Insn> resolve(List<? extends Insn> insns, Map<String, Integer> fds) {
        Check.notNull(fds, "map fds");
        return resolve(insns, name -> {
            Integer fd = fds.get(name);
            return fd == null ? -1 : fd;
        });
    }
}
