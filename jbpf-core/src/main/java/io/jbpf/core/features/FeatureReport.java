package io.jbpf.core.features;

import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import java.util.List;
import java.util.Map;

/**
 * Everything {@link Features#probeAll()} found.
 *
 * @param kernel        the kernel release
 * @param programTypes  each program type's support
 * @param mapTypes      each map type's support
 * @param attachTypes   each attach type's support
 * @param helpers       for each supported program type, the names of the helpers it may call
 *                      (without the {@code bpf_} prefix, as the kernel's enum spells them)
 */
public record FeatureReport(String kernel, Map<ProgramType, Support> programTypes, Map<MapType, Support> mapTypes,
        Map<AttachType, Support> attachTypes, Map<ProgramType, List<String>> helpers) {

    public FeatureReport {
        programTypes = Map.copyOf(programTypes);
        mapTypes = Map.copyOf(mapTypes);
        attachTypes = Map.copyOf(attachTypes);
        helpers = Map.copyOf(helpers);
    }
}
