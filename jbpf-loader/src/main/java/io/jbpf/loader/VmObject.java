package io.jbpf.loader;

import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The objects of an {@link ObjectSpec} inside a {@link Vm}, as {@link BpfObject} has them in the
 * kernel: one {@link MemoryMap} per map of the spec (global data sections filled with their
 * initial contents, read-only data frozen and read-only for programs, program arrays filled from
 * their {@code .values}), and every program loaded into the VM with its map references resolved
 * to those maps. Makes no system call.
 *
 * <pre>{@code
 * VmObject obj = ObjectSpec.open(path).toVm(Vm.create());
 * RunResult r = obj.program("xdp_parse").run(XdpContext.of(packet));
 * obj.map("counts").lookup(key, value);
 * }</pre>
 */
public final class VmObject {
    private final ObjectSpec spec;
    private final Map<String, MemoryMap> maps;
    private final Map<String, VmProgram> programs;

    private VmObject(ObjectSpec spec, Map<String, MemoryMap> maps, Map<String, VmProgram> programs) {
        this.spec = spec;
        this.maps = Collections.unmodifiableMap(maps);
        this.programs = Collections.unmodifiableMap(programs);
    }

    /**
     * Creates the maps of {@code spec} in memory and loads its programs into {@code vm}.
     *
     * @throws LoaderException when an initial slot of a program array or map of maps names no
     *         program or map of the object
     * @throws UnsupportedOperationException for a map type the in-memory maps do not have
     */
    public static VmObject load(ObjectSpec spec, Vm vm) {
        Map<String, MemoryMap> maps = new LinkedHashMap<>();
        for (Map.Entry<String, MapSpec> e : spec.maps().entrySet()) {
            MemoryMap m = MemoryMap.create(e.getValue());
            maps.put(e.getKey(), m);
            Optional<byte[]> initial = spec.initialValue(e.getKey());
            if (initial.isPresent()) {
                m.update(new byte[4], initial.get(), MapFlags.ANY);
                if (spec.readOnly(e.getKey())) {
                    m.freeze();
                }
            }
        }
        Map<String, VmProgram> programs = new LinkedHashMap<>();
        spec.programs().forEach((name, p) -> programs.put(name, vm.load(p, maps)));
        spec.initialSlots().forEach((map, slots) -> slots.forEach((slot, target) -> {
            MemoryMap outer = maps.get(map);
            MapType type = outer.spec().type();
            Object value = type == MapType.ARRAY_OF_MAPS || type == MapType.HASH_OF_MAPS ? maps.get(target)
                    : programs.get(target);
            if (value == null) {
                throw new LoaderException("map '" + map + "' slot " + slot + " names '" + target + "', which is no "
                        + (type == MapType.PROG_ARRAY ? "program" : "map")
                        + " of the object");
            }
            if (type == MapType.HASH_OF_MAPS) {
                byte[] key = java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(slot).array();
                outer.setTarget(key, value);
            } else {
                outer.setTarget(slot, value);
            }
        }));
        return new VmObject(spec, maps, programs);
    }

    /** The spec this object was made from. */
    public ObjectSpec spec() {
        return spec;
    }

    /** The program of function {@code name}. */
    public VmProgram program(String name) {
        VmProgram p = programs.get(name);
        if (p == null) {
            throw new LoaderException("the object has no program '" + name + "'; it has " + programs.keySet());
        }
        return p;
    }

    /** The map {@code name} ({@code .data}, {@code .bss}, ... for global data). */
    public MemoryMap map(String name) {
        MemoryMap m = maps.get(name);
        if (m == null) {
            throw new LoaderException("the object has no map '" + name + "'; it has " + maps.keySet());
        }
        return m;
    }

    /** Programs by function name, in symbol table order. */
    public Map<String, VmProgram> programs() {
        return programs;
    }

    /** Maps by name, in the spec's order. */
    public Map<String, MemoryMap> maps() {
        return maps;
    }

    /** The current bytes of global variable {@code name}, read from its section's map. */
    public byte[] readVariable(String name) {
        Variable v = spec.variable(name);
        byte[] section = section(v);
        return Arrays.copyOfRange(section, v.offset(), v.offset() + v.size());
    }

    /**
     * Writes global variable {@code name} in its section's map. Read-only data is frozen: writing
     * it throws EPERM, as from the kernel's map.
     */
    public synchronized void writeVariable(String name, byte[] value) {
        Variable v = spec.variable(name);
        if (value.length != v.size()) {
            throw new IllegalArgumentException("variable '" + name + "' is " + v.size() + " bytes, not " + value.length);
        }
        byte[] section = section(v);
        System.arraycopy(value, 0, section, v.offset(), value.length);
        map(v.section()).update(new byte[4], section, MapFlags.ANY);
    }

    private byte[] section(Variable v) {
        MemoryMap m = map(v.section());
        byte[] section = new byte[m.spec().valueSize()];
        m.lookup(new byte[4], section);
        return section;
    }
}
