package io.jbpf.core.map;

import io.jbpf.core.Errno;

/** ARRAY and PERCPU_ARRAY: every index exists, zero-filled at creation; updates write in place. */
final class MemoryArrayMap extends MemoryMapBase {
    private static final int CREATE_FLAGS = MapFlags.NUMA_NODE | MapFlags.MMAPABLE | ACCESS_MASK | MapFlags.INNER_MAP;

    private static final java.lang.invoke.VarHandle NATIVE_U32 = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
            int[].class, java.nio.ByteOrder.nativeOrder());

    private final byte[][][] values;

    MemoryArrayMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        allowFlags(spec, CREATE_FLAGS);
        require(spec, spec.keySize() == 4 && spec.valueSize() > 0 && spec.maxEntries() > 0, Errno.EINVAL,
                "arrays need 4-byte keys, and a positive value size and max entries");
        require(spec, spec.type() == MapType.ARRAY || (spec.flags() & (MapFlags.MMAPABLE | MapFlags.INNER_MAP)) == 0,
                Errno.EINVAL, "only ARRAY may be MMAPABLE or INNER_MAP");
        require(spec, !spec.type().perCpu() || slotSize <= 32768, Errno.E2BIG, "per-CPU values of more than 32768 bytes");
        int n = spec.type().perCpu() ? cpus : 1;
        this.values = new byte[spec.maxEntries()][n][spec.valueSize()];
    }

    /** The index of {@code key}, or -1 when out of range (u32 compare, as the kernel's). */
    private int index(byte[] key) {
        int i = key == null ? -1 : u32(key);
        return Integer.compareUnsigned(i, values.length) < 0 ? i : -1;
    }

    @Override
    int doLookup(byte[] key, byte[] value) {
        int i = index(key);
        if (i < 0) {
            return ENOENT;
        }
        readSlots(values[i], value);
        return 0;
    }

    @Override
    int doUpdate(byte[] key, byte[] value, long flags) {
        return put(key, value, flags, -1);
    }

    private int put(byte[] key, byte[] value, long flags, int cpu) {
        return put(key == null ? -1 : u32(key), value, 0, flags, cpu);
    }

    /** An update of index {@code index} (u32) from the value starting at {@code value[from]}. */
    private int put(int index, byte[] value, int from, long flags, int cpu) {
        if (badUpdateFlags(flags)) {
            return EINVAL;
        }
        int i = Integer.compareUnsigned(index, values.length) < 0 ? index : -1;
        if (i < 0) {
            return E2BIG;
        }
        if (flags == MapFlags.NOEXIST) {
            return EEXIST; // every element of an array exists
        }
        writeSlots(values[i], value, from, cpu);
        return 0;
    }

    @Override
    int programUpdateAt(byte[] keyMemory, int keyOffset, byte[] valueMemory, int valueOffset, long flags, int cpu) {
        return put((int) NATIVE_U32.get(keyMemory, keyOffset), valueMemory, valueOffset, flags, cpu);
    }

    @Override
    int doDelete(byte[] key) {
        return EINVAL;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        int i = key == null ? -1 : u32(key);
        int n;
        if (Integer.compareUnsigned(i, values.length) >= 0) {
            n = 0;
        } else if (i == values.length - 1) {
            return ENOENT;
        } else {
            n = i + 1;
        }
        System.arraycopy(u32Key(n), 0, next, 0, 4);
        return 0;
    }

    @Override
    byte[] programLookup(byte[] key, int cpu) {
        int i = index(key);
        return i < 0 ? null : slot(values[i], cpu);
    }

    /** Lock-free: an array's slots never move, and the index is read where the key lies. */
    @Override
    byte[] programLookupAt(byte[] memory, int offset, int cpu) {
        int i = (int) NATIVE_U32.get(memory, offset);
        return Integer.compareUnsigned(i, values.length) < 0 ? slot(values[i], cpu) : null;
    }

    @Override
    int programUpdate(byte[] key, byte[] value, long flags, int cpu) {
        return put(key, value, flags, cpu);
    }

    @Override
    int programDelete(byte[] key) {
        return EINVAL;
    }
}
