package io.jbpf.core.dsl;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A key and value a {@link PacketProgram} puts in one of its maps when it is loaded (the prefixes
 * of an LPM set, for example).
 *
 * @param map   the map's name
 * @param key   the key bytes
 * @param value the value bytes
 */
public record MapEntry(String map, byte[] key, byte[] value) {
    public MapEntry {
        Objects.requireNonNull(map, "map");
        key = key.clone();
        value = value.clone();
    }

    @Override
    public byte[] key() {
        return key.clone();
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapEntry e && map.equals(e.map) && Arrays.equals(key, e.key) && Arrays.equals(value, e.value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(map, Arrays.hashCode(key), Arrays.hashCode(value));
    }

    @Override
    public String toString() {
        return map + "[" + HexFormat.of().formatHex(key) + "] = " + HexFormat.of().formatHex(value);
    }
}
