package io.jbpf.core.map;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What map to create: a plain value, comparable, holding no fd. {@link KernelMap#create} turns it
 * into a live map. Build with {@link #of} and the {@code with…} methods.
 *
 * @param name        up to 15 characters of {@code [A-Za-z0-9_.]}, or empty
 * @param type        the map type
 * @param keySize     key size in bytes (0 for queue, stack, ring buffer, bloom filter)
 * @param valueSize   value size in bytes (4 for map-in-map: the inner map's fd or id)
 * @param maxEntries  capacity (the byte size for ring buffers)
 * @param flags       {@code BPF_F_*} creation flags, see {@link MapFlags}
 * @param innerMap    for array and hash of maps: the template every inner map must match, else null
 * @param numaNode    the NUMA node to allocate on (sets {@link MapFlags#NUMA_NODE}), or -1
 * @param mapExtra    type-specific extra: the number of hash functions of a bloom filter (0 = 5)
 * @param btf         BTF of key and value, else null
 * @param kernelValueTypeId for {@link MapType#STRUCT_OPS}: the id in the kernel's BTF of the value's
 *                    type ({@code struct bpf_struct_ops_<name>}), else 0
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags,
        MapSpec innerMap, int numaNode, long mapExtra, MapBtf btf, int kernelValueTypeId) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.]{0,15}");

    public MapSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("map name '" + name
                    + "' must be at most 15 characters of letters, digits, '_' and '.'");
        }
        if (keySize < 0 || valueSize < 0 || maxEntries < 0) {
            throw new IllegalArgumentException("map '" + name + "': sizes must not be negative (key "
                    + keySize + ", value " + valueSize + ", max entries " + maxEntries + ")");
        }
        if (innerMap != null && type != MapType.ARRAY_OF_MAPS && type != MapType.HASH_OF_MAPS) {
            throw new IllegalArgumentException("map '" + name + "': only ARRAY_OF_MAPS and HASH_OF_MAPS have an inner map, not "
                    + type);
        }
        if (kernelValueTypeId < 0 || kernelValueTypeId > 0 && type != MapType.STRUCT_OPS) {
            throw new IllegalArgumentException("map '" + name + "': only STRUCT_OPS maps have a kernel value type (a "
                    + type + " map, type id " + kernelValueTypeId + ")");
        }
        if (numaNode < -1) {
            throw new IllegalArgumentException("map '" + name + "': NUMA node " + numaNode + " (use -1 for none)");
        }
    }

    /** A spec with no flags, no inner map, no NUMA node, no extra. */
    public static MapSpec of(String name, MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, 0, null, -1, 0, null, 0);
    }

    /** This spec with other flags. */
    public MapSpec withFlags(int newFlags) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, newFlags, innerMap, numaNode, mapExtra, btf, kernelValueTypeId);
    }

    /** This spec with another capacity. */
    public MapSpec withMaxEntries(int newMaxEntries) {
        return new MapSpec(name, type, keySize, valueSize, newMaxEntries, flags, innerMap, numaNode, mapExtra, btf, kernelValueTypeId);
    }

    /** This map-of-maps spec with the template its inner maps must match. */
    public MapSpec withInnerMap(MapSpec inner) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, Objects.requireNonNull(inner, "inner"),
                numaNode, mapExtra, btf, kernelValueTypeId);
    }

    /** This spec allocated on NUMA node {@code node}. */
    public MapSpec withNumaNode(int node) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, innerMap, node, mapExtra, btf, kernelValueTypeId);
    }

    /** This spec with a type-specific extra (bloom filter: number of hash functions). */
    public MapSpec withMapExtra(long extra) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, innerMap, numaNode, extra, btf, kernelValueTypeId);
    }

    /** This spec with BTF for its key and value. */
    public MapSpec withBtf(MapBtf newBtf) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, innerMap, numaNode, mapExtra,
                Objects.requireNonNull(newBtf, "btf"), kernelValueTypeId);
    }

    /**
     * This {@link MapType#STRUCT_OPS} spec with its value typed by kernel BTF type {@code typeId}
     * ({@code struct bpf_struct_ops_<name>} of {@code /sys/kernel/btf/vmlinux}).
     */
    public MapSpec withKernelValueType(int typeId) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, flags, innerMap, numaNode, mapExtra, btf, typeId);
    }

    /** The inner map template, for maps of maps. */
    public Optional<MapSpec> inner() {
        return Optional.ofNullable(innerMap);
    }

    /** Whether this spec and {@code other} describe maps the kernel would treat alike (ignoring the name). */
    public boolean compatibleWith(MapSpec other) {
        return type == other.type && keySize == other.keySize && valueSize == other.valueSize
                && maxEntries == other.maxEntries && flags == other.flags;
    }
}
