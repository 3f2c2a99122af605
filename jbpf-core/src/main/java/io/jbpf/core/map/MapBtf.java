package io.jbpf.core.map;

import java.util.Arrays;
import java.util.Objects;

/**
 * BTF describing a map's key and value: the raw {@code .BTF} blob and the ids of the two types in
 * it. Some map types need it (socket, task, inode and cgroup storage; spin locks and timers in
 * values), and with it bpftool prints entries with their types.
 *
 * @param btf          raw BTF, host byte order
 * @param keyTypeId    the key's type id in {@code btf} (0 for maps without keys)
 * @param valueTypeId  the value's type id in {@code btf}
 */
public record MapBtf(byte[] btf, int keyTypeId, int valueTypeId) {

    public MapBtf {
        Objects.requireNonNull(btf, "btf");
        if (keyTypeId < 0 || valueTypeId <= 0) {
            throw new IllegalArgumentException("BTF type ids must be positive (key " + keyTypeId + ", value "
                    + valueTypeId + ")");
        }
        btf = btf.clone();
    }

    @Override
    public byte[] btf() {
        return btf.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MapBtf b && Arrays.equals(btf, b.btf) && keyTypeId == b.keyTypeId
                && valueTypeId == b.valueTypeId;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(btf), keyTypeId, valueTypeId);
    }

    @Override
    public String toString() {
        return "MapBtf[" + btf.length + " bytes, key type " + keyTypeId + ", value type " + valueTypeId + "]";
    }
}
