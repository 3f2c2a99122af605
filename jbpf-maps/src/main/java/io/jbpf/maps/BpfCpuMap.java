package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_CPUMAP}: the CPUs {@code bpf_redirect_map} hands XDP frames to. The key is
 * the CPU number, the value the size of that CPU's frame queue (4-byte values; setting a slot starts
 * a kernel thread on that CPU, removing it stops it). Empty slots read as {@code null}.
 */
public final class BpfCpuMap extends KeyedMap<Integer, Integer> {

    private BpfCpuMap(RawMap raw, boolean owner) {
        super(raw, owner, Codecs.u32(), Codecs.u32());
    }

    /** Creates a cpumap with a slot per CPU number below {@code cpus}. */
    public static BpfCpuMap create(String name, int cpus) {
        KernelMap map = Binding.create(MapSpec.of(name, MapType.CPUMAP, 4, 4, cpus), "BpfCpuMap", 4, 4, MapType.CPUMAP);
        return Binding.adopt(map, m -> new BpfCpuMap(m, true));
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static BpfCpuMap of(RawMap raw) {
        Binding.check(raw.spec(), "BpfCpuMap", 4, 4, MapType.CPUMAP);
        return new BpfCpuMap(raw, false);
    }

    /** Removes CPU {@code cpu}'s queue; {@code false} when it had none. */
    public boolean remove(int cpu) {
        return raw().delete(keyCodec().encode(cpu));
    }

    @Override
    boolean deletable() {
        return true;
    }
}
