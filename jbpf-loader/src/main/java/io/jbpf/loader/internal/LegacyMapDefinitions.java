package io.jbpf.loader.internal;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.loader.LoaderException;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.elf.ElfSection;
import io.jbpf.loader.elf.ElfSymbol;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Map definitions of the legacy {@code maps} section: one {@code struct bpf_map_def} (type, key
 * size, value size, max entries, flags; 20 bytes or more) per symbol, as older objects have them.
 */
public final class LegacyMapDefinitions {
    private static final int MIN_SIZE = 20;

    private LegacyMapDefinitions() {}

    public static Map<String, MapSpec> read(ElfFile elf, ElfSection section) {
        Map<String, MapSpec> maps = new LinkedHashMap<>();
        ByteBuffer b = ByteBuffer.wrap(elf.bytes(section)).order(elf.order());
        for (ElfSymbol s : elf.symbols()) {
            if (s.sectionIndex() != section.index() || s.type() == ElfSymbol.STT_SECTION || s.name().isEmpty()) {
                continue;
            }
            long size = s.size() == 0 ? MIN_SIZE : s.size();
            if (size < MIN_SIZE || s.value() < 0 || s.value() + size > b.capacity()) {
                throw new LoaderException("map '" + s.name() + "' in the maps section at offset " + s.value() + " ("
                        + size + " bytes) is not a whole struct bpf_map_def");
            }
            int at = (int) s.value();
            MapType type;
            try {
                type = MapType.of(b.getInt(at));
            } catch (IllegalArgumentException e) {
                throw new LoaderException("map '" + s.name() + "' has " + e.getMessage());
            }
            maps.put(s.name(), MapSpec.of(MapNames.kernelName(s.name()), type, b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 12))
                    .withFlags(b.getInt(at + 16)));
        }
        return maps;
    }
}
