package io.jbpf.core.map;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What map to create: a plain value, comparable, holding no fd. {@link KernelMap#create} turns it
 * into a live map.
 *
 * @param name        up to 15 characters of {@code [A-Za-z0-9_.]}, or empty
 * @param type        the map type
 * @param keySize     key size in bytes (0 for queue, stack, ring buffer, bloom filter)
 * @param valueSize   value size in bytes
 * @param maxEntries  capacity (the byte size for ring buffers)
 * @param flags       {@code BPF_F_*} creation flags, see {@link MapFlags}
 */
public record MapSpec(String name, MapType type, int keySize, int valueSize, int maxEntries, int flags) {

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
    }

    /** A spec with no flags. */
    public static MapSpec of(String name, MapType type, int keySize, int valueSize, int maxEntries) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, 0);
    }

    /** This spec with other flags. */
    public MapSpec withFlags(int newFlags) {
        return new MapSpec(name, type, keySize, valueSize, maxEntries, newFlags);
    }

    /** This spec with another capacity. */
    public MapSpec withMaxEntries(int newMaxEntries) {
        return new MapSpec(name, type, keySize, valueSize, newMaxEntries, flags);
    }
}
