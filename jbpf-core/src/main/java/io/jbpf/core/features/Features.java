package io.jbpf.core.features;

import io.jbpf.core.features.internal.AttachProbe;
import io.jbpf.core.features.internal.KernelBtf;
import io.jbpf.core.features.internal.MapProbe;
import io.jbpf.core.features.internal.ProgramProbe;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Probes of what the running kernel supports: program types, map types, attach types and helpers
 * per program type. Each probe creates (and closes) the smallest object that shows the feature; its
 * answer is cached for the life of the process, since the kernel does not change under it.
 * {@code require…} methods throw {@link UnsupportedFeatureException} naming the feature and the
 * first kernel that has it. Probing needs the privileges of loading programs (root or CAP_BPF).
 */
public final class Features {
    private static final Map<Object, Support> CACHE = new ConcurrentHashMap<>();

    private Features() {}

    /** Whether the kernel can load programs of {@code type}. */
    public static Support programType(ProgramType type) {
        return CACHE.computeIfAbsent(type, t -> ProgramProbe.probeProgramType(type));
    }

    /** Whether the kernel can create maps of {@code type}. */
    public static Support mapType(MapType type) {
        return CACHE.computeIfAbsent(type, t -> MapProbe.probeMapType(type));
    }

    /** Whether the kernel knows attach type {@code type}. */
    public static Support attachType(AttachType type) {
        return CACHE.computeIfAbsent(type, t -> AttachProbe.probeAttachType(type));
    }

    /** Whether programs of {@code type} may call helper number {@code helperId}. */
    public static Support helper(ProgramType type, int helperId) {
        // probed first, outside: a computeIfAbsent nested in another on the same map throws
        // "Recursive update" whenever both keys land in one bin (identity hashes: now and then)
        boolean typeAvailable = programType(type).available();
        return CACHE.computeIfAbsent(type.name() + "/helper/" + helperId,
                k -> typeAvailable ? ProgramProbe.probeHelper(type, helperId) : Support.UNSUPPORTED);
    }

    /** Which BTF kinds the kernel takes (what an object's BTF must be rewritten without, see {@link io.jbpf.core.btf.BtfSanitizer}). */
    public static io.jbpf.core.btf.BtfFeatures btf() {
        return (io.jbpf.core.btf.BtfFeatures) BTF.computeIfAbsent("btf", k -> io.jbpf.core.features.internal.BtfProbe.probe());
    }

    private static final Map<String, Object> BTF = new ConcurrentHashMap<>();

    public static void requireProgramType(ProgramType type) {
        if (!programType(type).available()) {
            throw new UnsupportedFeatureException("program type " + type, type.since());
        }
    }

    public static void requireMapType(MapType type) {
        if (!mapType(type).available()) {
            throw new UnsupportedFeatureException("map type " + type, type.since());
        }
    }

    public static void requireAttachType(AttachType type) {
        if (!attachType(type).available()) {
            throw new UnsupportedFeatureException("attach type " + type, type.since());
        }
    }

    /** Requires helper {@code helperId} ({@code name} for the message) in programs of {@code type}. */
    public static void requireHelper(ProgramType type, int helperId, String name, String since) {
        if (!helper(type, helperId).available()) {
            throw new UnsupportedFeatureException("helper " + name + " in " + type + " programs", since);
        }
    }

    /**
     * Probes everything: each program, map and attach type, and each helper the kernel's BTF names
     * ({@code enum bpf_func_id}) for each program type the kernel has. Takes a second or so.
     */
    public static FeatureReport probeAll() {
        Map<ProgramType, Support> programs = new EnumMap<>(ProgramType.class);
        for (ProgramType t : ProgramType.values()) {
            if (t != ProgramType.UNSPEC) {
                programs.put(t, programType(t));
            }
        }
        Map<MapType, Support> maps = new EnumMap<>(MapType.class);
        for (MapType t : MapType.values()) {
            if (t != MapType.UNSPEC) {
                maps.put(t, mapType(t));
            }
        }
        Map<AttachType, Support> attach = new EnumMap<>(AttachType.class);
        for (AttachType t : AttachType.values()) {
            attach.put(t, attachType(t));
        }
        Map<Integer, String> helperNames = new TreeMap<>();
        KernelBtf.get().ifPresent(btf -> btf.enumValues("bpf_func_id").forEach((name, id) -> {
            if (id > 0 && name.startsWith("BPF_FUNC_") && !name.equals("__BPF_FUNC_MAX_ID")) {
                helperNames.put(id.intValue(), name.substring("BPF_FUNC_".length()));
            }
        }));
        Map<ProgramType, List<String>> helpers = new EnumMap<>(ProgramType.class);
        programs.forEach((t, support) -> {
            if (support == Support.SUPPORTED) {
                List<String> names = new ArrayList<>();
                helperNames.forEach((id, name) -> {
                    if (helper(t, id) == Support.SUPPORTED) {
                        names.add(name);
                    }
                });
                helpers.put(t, List.copyOf(names));
            }
        });
        return new FeatureReport(kernelRelease(), programs, maps, attach, helpers);
    }

    /** The kernel's release string, e.g. {@code 6.18.0}. */
    public static String kernelRelease() {
        return System.getProperty("os.version");
    }
}
