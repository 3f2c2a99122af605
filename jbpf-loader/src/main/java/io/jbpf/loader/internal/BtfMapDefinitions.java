package io.jbpf.loader.internal;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.loader.LoaderException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Map definitions of the {@code .maps} section, read from its BTF as libbpf's {@code __uint} and
 * {@code __type} macros encode them: {@code int (*type)[N]} carries the number N, {@code T *key}
 * carries the type T.
 */
public final class BtfMapDefinitions {
    private BtfMapDefinitions() {}

    /** A map definition: the spec, and whether libbpf's {@code LIBBPF_PIN_BY_NAME} asks to pin it by name. */
    public record Definition(MapSpec spec, boolean pinByName, int keyTypeId, int valueTypeId, int valuesOffset) {
    }

    /** Map name → definition for every variable of the {@code .maps} data section. */
    public static Map<String, Definition> read(Btf btf) {
        Map<String, Definition> maps = new LinkedHashMap<>();
        Optional<BtfType> sec = btf.find(BtfKind.DATASEC, ".maps");
        if (sec.isEmpty()) {
            return maps;
        }
        for (BtfType.VarSecInfo v : ((BtfType.Datasec) sec.get()).vars()) {
            BtfType var = btf.type(v.type());
            if (!(var instanceof BtfType.Var variable)) {
                throw new LoaderException(".maps holds " + Btf.describe(var) + ", not a variable");
            }
            maps.put(variable.name(), definition(btf, variable));
        }
        return maps;
    }

    private static Definition definition(Btf btf, BtfType.Var variable) {
        String name = variable.name();
        BtfType def = btf.resolve(variable.type());
        if (!(def instanceof BtfType.Struct struct)) {
            throw new LoaderException("map '" + name + "' in .maps is " + Btf.describe(def) + ", not a struct");
        }
        Integer type = null;
        int keySize = 0;
        int valueSize = 0;
        int maxEntries = 0;
        int flags = 0;
        int numaNode = -1;
        long extra = 0;
        int pinning = 0;
        int keyType = 0;
        int valueType = 0;
        int valuesOffset = -1;
        for (BtfType.Member m : struct.members()) {
            switch (m.name()) {
                case "type" -> type = number(btf, name, m);
                case "max_entries" -> maxEntries = number(btf, name, m);
                case "map_flags" -> flags = number(btf, name, m);
                case "numa_node" -> numaNode = number(btf, name, m);
                case "map_extra" -> extra = number(btf, name, m);
                case "key_size" -> keySize = number(btf, name, m);
                case "value_size" -> valueSize = number(btf, name, m);
                case "key" -> {
                    keyType = pointee(btf, name, m);
                    keySize = (int) btf.sizeOf(keyType);
                }
                case "value" -> {
                    valueType = pointee(btf, name, m);
                    valueSize = (int) btf.sizeOf(valueType);
                }
                case "pinning" -> pinning = number(btf, name, m);
                case "values" -> valuesOffset = m.bitOffset() / 8;
                default -> throw new LoaderException("map '" + name + "' has field '" + m.name()
                        + "', which no map definition has");
            }
        }
        if (type == null) {
            throw new LoaderException("map '" + name + "' in .maps has no type");
        }
        MapType mapType;
        try {
            mapType = MapType.of(type);
        } catch (IllegalArgumentException e) {
            throw new LoaderException("map '" + name + "' has " + e.getMessage());
        }
        if (valuesOffset >= 0 && valueSize == 0) {
            valueSize = 4; // program arrays and maps of maps hold fds
        }
        if (valuesOffset >= 0 && (mapType == MapType.ARRAY_OF_MAPS || mapType == MapType.HASH_OF_MAPS)) {
            throw new LoaderException("map '" + name + "': maps of maps declared in .maps (inner map templates) are "
                    + "not supported yet; create them with MapSpec.withInnerMap");
        }
        if (pinning > 1) {
            throw new LoaderException("map '" + name + "' asks for pinning " + pinning
                    + "; only 0 (none) and 1 (LIBBPF_PIN_BY_NAME) exist");
        }
        return new Definition(new MapSpec(name, mapType, keySize, valueSize, maxEntries, flags, null, numaNode, extra,
                null), pinning == 1, keyType, valueType, valuesOffset);
    }

    /** {@code int (*name)[N]}: N. */
    private static int number(Btf btf, String map, BtfType.Member m) {
        BtfType ptr = btf.resolve(m.type());
        if (ptr instanceof BtfType.Ptr p && btf.resolve(p.type()) instanceof BtfType.Array a) {
            return a.count();
        }
        throw new LoaderException("map '" + map + "': field '" + m.name() + "' is " + Btf.describe(ptr)
                + ", not __uint(" + m.name() + ", N)");
    }

    /** {@code T *name}: T. */
    private static int pointee(Btf btf, String map, BtfType.Member m) {
        BtfType ptr = btf.resolve(m.type());
        if (ptr instanceof BtfType.Ptr p) {
            return p.type();
        }
        throw new LoaderException("map '" + map + "': field '" + m.name() + "' is " + Btf.describe(ptr)
                + ", not __type(" + m.name() + ", T)");
    }
}
