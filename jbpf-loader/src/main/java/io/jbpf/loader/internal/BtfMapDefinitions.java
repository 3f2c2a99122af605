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
        return definition(btf, variable.name(), variable.type(), false);
    }

    /**
     * The definition of map {@code name} from struct type {@code typeId}; {@code inner} for the
     * template of a map of maps ({@code __array(values, struct inner_def)}), which has no
     * {@code .values} and no pinning of its own.
     */
    private static Definition definition(Btf btf, String name, int typeId, boolean inner) {
        BtfType def = btf.resolve(typeId);
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
        int valuesType = 0;
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
                case "values" -> {
                    if (inner) {
                        throw new LoaderException("map '" + name + "': an inner map template has field 'values'"
                                + " (maps of maps of maps are not supported)");
                    }
                    valuesOffset = m.bitOffset() / 8;
                    valuesType = m.type();
                }
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
        boolean ofMaps = mapType == MapType.ARRAY_OF_MAPS || mapType == MapType.HASH_OF_MAPS;
        if (valuesOffset >= 0 && valueSize == 0) {
            valueSize = 4; // program arrays and maps of maps hold fds
        }
        MapSpec innerMap = null;
        if (ofMaps) {
            if (valuesOffset < 0) {
                throw new LoaderException("map '" + name + "' is a " + mapType + " without __array(values, struct ...)"
                        + " to give the shape of its inner maps");
            }
            if (valueSize != 4) {
                throw new LoaderException("map '" + name + "' is a " + mapType + " with values of " + valueSize
                        + " bytes; maps of maps hold 4-byte map ids");
            }
            innerMap = innerTemplate(btf, name, valuesType);
            valueType = 0; // as libbpf: the kernel takes no value type for maps of maps
        }
        if (pinning > 1) {
            throw new LoaderException("map '" + name + "' asks for pinning " + pinning
                    + "; only 0 (none) and 1 (LIBBPF_PIN_BY_NAME) exist");
        }
        if (inner && pinning != 0) {
            throw new LoaderException("map '" + name + "': an inner map template cannot be pinned");
        }
        return new Definition(new MapSpec(MapNames.kernelName(name), mapType, keySize, valueSize, maxEntries, flags, innerMap, numaNode,
                extra, null, 0), pinning == 1, keyType, valueType, valuesOffset);
    }

    /**
     * The inner map template of map of maps {@code outer}: {@code values} is declared as an array of
     * pointers to a map definition struct ({@code struct inner_def *values[]}). It is named as libbpf
     * names it, {@code OUTER.inner}, cut to the kernel's 15 characters.
     */
    private static MapSpec innerTemplate(Btf btf, String outer, int valuesType) {
        BtfType values = btf.resolve(valuesType);
        if (values instanceof BtfType.Array a && btf.resolve(a.elementType()) instanceof BtfType.Ptr p
                && btf.resolve(p.type()) instanceof BtfType.Struct) {
            String name = MapNames.kernelName(outer + ".inner");
            return definition(btf, name, p.type(), true).spec();
        }
        throw new LoaderException("map '" + outer + "': field 'values' is " + Btf.describe(values)
                + ", not __array(values, struct inner_map_definition)");
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
