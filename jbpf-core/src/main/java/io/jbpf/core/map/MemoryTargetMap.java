package io.jbpf.core.map;

import io.jbpf.core.BpfCommand;
import io.jbpf.core.Errno;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * PROG_ARRAY, ARRAY_OF_MAPS and HASH_OF_MAPS: slots hold objects (program handles, inner
 * {@link MemoryMap}s) where the kernel's hold references taken from fds. User-side lookups write
 * the target's id as the kernel writes the program's or inner map's id: an inner {@link MemoryMap}'s
 * {@link MemoryMap#id()}, 0 for other objects. User-side updates take fds, which do not exist here:
 * use {@link #setTarget}. Programs reach the targets with {@link #target}; the helpers that
 * write these maps from programs do not exist (the verifier refuses them): {@code -EOPNOTSUPP}.
 */
final class MemoryTargetMap extends MemoryMapBase {
    private static final int ARRAY_FLAGS = MapFlags.NUMA_NODE | MapFlags.RDONLY | MapFlags.WRONLY;
    private static final int HASH_FLAGS = MapFlags.NO_PREALLOC | MapFlags.NUMA_NODE | ACCESS_MASK | MapFlags.ZERO_SEED;

    private final boolean array;
    /** Insertion order: the nextKey order of a hash of maps. */
    private final Map<Key, Object> targets = new LinkedHashMap<>();

    MemoryTargetMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        this.array = spec.type() != MapType.HASH_OF_MAPS;
        allowFlags(spec, array ? ARRAY_FLAGS | (spec.type() == MapType.ARRAY_OF_MAPS ? MapFlags.INNER_MAP : 0) : HASH_FLAGS);
        require(spec, spec.valueSize() == 4 && spec.maxEntries() > 0 && (array ? spec.keySize() == 4 : spec.keySize() > 0),
                Errno.EINVAL, "the values are 4-byte fds" + (array ? ", the keys 4-byte indexes" : "")
                + ", and max entries must be positive");
        if (spec.type() != MapType.PROG_ARRAY) {
            MapSpec inner = spec.innerMap();
            require(spec, inner != null, Errno.EBADF, "a map of maps needs an inner map template");
            require(spec, inner.type() != MapType.PROG_ARRAY, Errno.ENOTSUPP, "inner maps cannot be PROG_ARRAY");
            require(spec, inner.type() != MapType.ARRAY_OF_MAPS && inner.type() != MapType.HASH_OF_MAPS, Errno.EINVAL,
                    "one level of maps in maps only");
        }
    }

    private boolean inRange(byte[] key) {
        return !array || Integer.compareUnsigned(u32(key), spec.maxEntries()) < 0;
    }

    private byte[] indexKey(int index) {
        if (spec.keySize() != 4) {
            throw new IllegalArgumentException("map '" + spec.name() + "' has " + spec.keySize()
                    + "-byte keys: use the byte[] key");
        }
        return u32Key(index);
    }

    // ---- program side ----

    @Override
    public Object target(int index) {
        return target(indexKey(index));
    }

    @Override
    public synchronized Object target(byte[] key) {
        checkKey(key);
        return targets.get(new Key(key));
    }

    // ---- user side ----

    @Override
    public void setTarget(int index, Object target) {
        setTarget(indexKey(index), target);
    }

    @Override
    public synchronized void setTarget(byte[] key, Object target) {
        checkKey(key);
        Objects.requireNonNull(target, "target (use clearTarget to empty a slot)");
        open();
        int r;
        Key k = new Key(key);
        if (!userWritable()) {
            r = EPERM;
        } else if (!inRange(key)) {
            r = E2BIG;
        } else if (!fits(target)) {
            r = EINVAL;
        } else if (!array && !targets.containsKey(k) && targets.size() >= spec.maxEntries()) {
            r = E2BIG;
        } else {
            targets.put(Key.copyOf(key), target);
            r = 0;
        }
        check(BpfCommand.MAP_UPDATE_ELEM, r, "set target");
    }

    /** Whether {@code target} may go in this map: any program handle; an inner map that matches the template. */
    private boolean fits(Object target) {
        if (spec.type() == MapType.PROG_ARRAY) {
            return true;
        }
        if (!(target instanceof MemoryMap m)) {
            throw new IllegalArgumentException("map '" + spec.name() + "' holds in-memory maps, not "
                    + target.getClass().getName());
        }
        MapSpec t = spec.innerMap();
        MapSpec s = m.spec();
        return s.type() == t.type() && s.keySize() == t.keySize() && s.valueSize() == t.valueSize()
                && s.flags() == t.flags()
                && ((t.flags() & MapFlags.INNER_MAP) != 0 || s.maxEntries() == t.maxEntries());
    }

    @Override
    public boolean clearTarget(int index) {
        return clearTarget(indexKey(index));
    }

    @Override
    public synchronized boolean clearTarget(byte[] key) {
        return delete(key);
    }

    @Override
    int doLookup(byte[] key, byte[] value) {
        Object t = targets.get(new Key(key));
        if (t == null) {
            return ENOENT;
        }
        System.arraycopy(u32Key(t instanceof MemoryMap m ? m.id() : 0), 0, value, 0, 4);
        return 0;
    }

    @Override
    int doUpdate(byte[] key, byte[] value, long flags) {
        throw new UnsupportedOperationException("map '" + spec.name() + "' (" + spec.type()
                + ") in memory holds objects, not fds: use setTarget");
    }

    @Override
    int doDelete(byte[] key) {
        if (!inRange(key)) {
            return E2BIG;
        }
        return targets.remove(new Key(key)) == null ? ENOENT : 0;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        if (array) {
            int i = key == null ? -1 : u32(key);
            int n;
            if (Integer.compareUnsigned(i, spec.maxEntries()) >= 0) {
                n = 0;
            } else if (i == spec.maxEntries() - 1) {
                return ENOENT;
            } else {
                n = i + 1;
            }
            System.arraycopy(u32Key(n), 0, next, 0, 4);
            return 0;
        }
        Iterator<Key> it = targets.keySet().iterator();
        if (key != null) {
            Key k = new Key(key);
            if (targets.containsKey(k)) {
                while (!it.next().equals(k)) {
                    // walk to the key; the next one follows
                }
            }
        }
        if (!it.hasNext()) {
            return ENOENT;
        }
        System.arraycopy(it.next().bytes, 0, next, 0, next.length);
        return 0;
    }
}
