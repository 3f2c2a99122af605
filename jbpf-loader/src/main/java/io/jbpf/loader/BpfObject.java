package io.jbpf.loader;

import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.Program;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The live objects of an {@link ObjectSpec}: its maps, created and filled with their initial
 * values (read-only data frozen), and its programs, loaded with their map references resolved.
 * Owns them all: {@link #close()} closes every program and map. Loading is all or nothing: on any
 * failure what was created is closed again and the exception says what failed.
 */
public final class BpfObject implements AutoCloseable {
    private final Map<String, KernelMap> maps;
    private final Map<String, Program> programs;

    private BpfObject(Map<String, KernelMap> maps, Map<String, Program> programs) {
        this.maps = Collections.unmodifiableMap(maps);
        this.programs = Collections.unmodifiableMap(programs);
    }

    /** Creates the maps and loads the programs of {@code spec}. */
    public static BpfObject load(ObjectSpec spec) {
        Map<String, KernelMap> maps = new LinkedHashMap<>();
        Map<String, Program> programs = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, MapSpec> e : spec.maps().entrySet()) {
                KernelMap m = KernelMap.create(e.getValue());
                maps.put(e.getKey(), m);
                Optional<byte[]> initial = spec.initialValue(e.getKey());
                if (initial.isPresent()) {
                    m.update(new byte[4], initial.get(), MapFlags.ANY);
                    if (spec.readOnly(e.getKey())) {
                        m.freeze();
                    }
                }
            }
            spec.programs().forEach((name, p) -> programs.put(name, Program.load(p, maps)));
            return new BpfObject(maps, programs);
        } catch (RuntimeException e) {
            programs.values().forEach(Fd::closeQuietly);
            maps.values().forEach(Fd::closeQuietly);
            throw e;
        }
    }

    /** The program of function {@code name}. */
    public Program program(String name) {
        Program p = programs.get(name);
        if (p == null) {
            throw new LoaderException("the object has no program '" + name + "'; it has " + programs.keySet());
        }
        return p;
    }

    /** The map {@code name} ({@code .data}, {@code .bss}, ... for global data). */
    public KernelMap map(String name) {
        KernelMap m = maps.get(name);
        if (m == null) {
            throw new LoaderException("the object has no map '" + name + "'; it has " + maps.keySet());
        }
        return m;
    }

    public Map<String, Program> programs() {
        return programs;
    }

    public Map<String, KernelMap> maps() {
        return maps;
    }

    @Override
    public void close() {
        programs.values().forEach(Fd::closeQuietly);
        maps.values().forEach(Fd::closeQuietly);
    }
}
