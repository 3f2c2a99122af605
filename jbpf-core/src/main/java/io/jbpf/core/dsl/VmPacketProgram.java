package io.jbpf.core.dsl;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.vm.Context;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link PacketProgram} loaded in jbpf's VM over in-memory maps. Holds no kernel resources. */
public final class VmPacketProgram {
    private final PacketProgram spec;
    private final Map<String, MemoryMap> maps;
    private final VmProgram program;

    private VmPacketProgram(PacketProgram spec, Map<String, MemoryMap> maps, VmProgram program) {
        this.spec = spec;
        this.maps = Collections.unmodifiableMap(maps);
        this.program = program;
    }

    static VmPacketProgram load(PacketProgram spec, Vm vm, Map<String, ? extends MemoryMap> shared) {
        Map<String, MemoryMap> maps = new LinkedHashMap<>();
        for (MapSpec m : spec.maps()) {
            MemoryMap given = shared.get(m.name());
            if (given != null && !given.spec().compatibleWith(m)) {
                throw new DslException("map '" + m.name() + "' given to program " + spec.name() + " is "
                        + given.spec() + ", the program needs " + m);
            }
            maps.put(m.name(), given != null ? given : MemoryMap.create(m));
        }
        for (MapEntry e : spec.mapEntries()) {
            maps.get(e.map()).update(e.key(), e.value(), 0);
        }
        return new VmPacketProgram(spec, maps, vm.load(spec.programSpec(), maps));
    }

    /** What was loaded. */
    public PacketProgram spec() {
        return spec;
    }

    /** The VM program. */
    public VmProgram program() {
        return program;
    }

    /** The maps by name. */
    public Map<String, MemoryMap> maps() {
        return maps;
    }

    /**
     * The map called {@code name}.
     *
     * @throws IllegalArgumentException when the program has none of that name
     */
    public MemoryMap map(String name) {
        MemoryMap m = maps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("program " + spec.name() + " has no map '" + name + "' (it has "
                    + maps.keySet() + ")");
        }
        return m;
    }

    /** The context the target's program sees for {@code frame}: XDP, a TC buffer or a socket filter's. */
    public Context context(byte[] frame) {
        switch (spec.target()) {
            case XDP:
                return XdpContext.of(frame);
            case SOCKET_FILTER:
                return SkbContext.socketFilter(frame);
            default:
                return SkbContext.tc(frame);
        }
    }

    /** Runs the program once over {@code frame}, starting at the Ethernet header. */
    public RunResult run(byte[] frame) {
        return program.run(context(frame));
    }

    @Override
    public String toString() {
        return "VmPacketProgram[" + program + ", maps " + maps.keySet() + "]";
    }
}
