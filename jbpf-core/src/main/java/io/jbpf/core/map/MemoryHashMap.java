package io.jbpf.core.map;

import io.jbpf.core.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH. Entries sit in a list in insertion order, which
 * is the {@code nextKey} order (stable while keys are only looked up or replaced), and, for LRU
 * maps, in a second list by recency: a new key that does not fit evicts the least recently used.
 */
final class MemoryHashMap extends MemoryMapBase {
    private static final int CREATE_FLAGS = MapFlags.NO_PREALLOC | MapFlags.NO_COMMON_LRU | MapFlags.NUMA_NODE
            | ACCESS_MASK | MapFlags.ZERO_SEED;
    /** {@code PCPU_MIN_UNIT_SIZE}: the largest per-CPU value. */
    private static final int MAX_PERCPU_VALUE = 32768;

    private static final class Entry {
        final Key key;
        byte[][] slots;
        Entry prev;
        Entry next;
        Entry older;
        Entry newer;

        Entry(Key key, byte[][] slots) {
            this.key = key;
            this.slots = slots;
        }
    }

    private final boolean lru;
    private final int capacity;
    private final Map<Key, Entry> entries = new HashMap<>();
    /** Insertion order, for nextKey. */
    private Entry first;
    private Entry last;
    /** Recency order, for LRU eviction. */
    private Entry oldest;
    private Entry newest;

    MemoryHashMap(MapSpec spec, int cpus) {
        super(spec, cpus);
        MapType t = spec.type();
        this.lru = t == MapType.LRU_HASH || t == MapType.LRU_PERCPU_HASH;
        allowFlags(spec, CREATE_FLAGS);
        boolean commonLru = (spec.flags() & MapFlags.NO_COMMON_LRU) == 0;
        require(spec, lru || commonLru, Errno.EINVAL, "NO_COMMON_LRU is only for LRU maps");
        require(spec, !lru || (spec.flags() & MapFlags.NO_PREALLOC) == 0, Errno.ENOTSUPP,
                "LRU maps are always preallocated: NO_PREALLOC is not supported");
        require(spec, spec.keySize() > 0 && spec.valueSize() > 0 && spec.maxEntries() > 0, Errno.EINVAL,
                "key size, value size and max entries must be positive");
        require(spec, !t.perCpu() || slotSize <= MAX_PERCPU_VALUE, Errno.E2BIG,
                "per-CPU values of more than " + MAX_PERCPU_VALUE + " bytes");
        // the kernel gives each CPU's LRU list the same number of elements
        this.capacity = lru && !commonLru ? (int) Math.min(Integer.MAX_VALUE,
                ((long) spec.maxEntries() + cpus - 1) / cpus * cpus) : spec.maxEntries();
    }

    @Override
    int doLookup(byte[] key, byte[] value) {
        Entry e = entries.get(new Key(key));
        if (e == null) {
            return ENOENT;
        }
        readSlots(e.slots, value); // the kernel's syscall lookup does not mark an LRU entry used
        return 0;
    }

    @Override
    int doUpdate(byte[] key, byte[] value, long flags) {
        return put(key, value, flags, -1);
    }

    @Override
    int doDelete(byte[] key) {
        Entry e = entries.remove(new Key(key));
        if (e == null) {
            return ENOENT;
        }
        unlink(e);
        return 0;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        Entry e = key == null ? null : entries.get(new Key(key));
        // a missing key restarts the walk at the first key, as the kernel's hash does
        Entry n = e == null ? first : e.next;
        if (n == null) {
            return ENOENT;
        }
        System.arraycopy(n.key.bytes, 0, next, 0, next.length);
        return 0;
    }

    @Override
    int doLookupAndDelete(byte[] key, byte[] value) {
        Entry e = entries.remove(new Key(key));
        if (e == null) {
            return ENOENT;
        }
        unlink(e);
        readSlots(e.slots, value);
        return 0;
    }

    @Override
    byte[] programLookup(byte[] key, int cpu) {
        Entry e = entries.get(new Key(key));
        if (e == null) {
            return null;
        }
        if (lru) {
            touch(e);
        }
        return slot(e.slots, cpu);
    }

    @Override
    int programUpdate(byte[] key, byte[] value, long flags, int cpu) {
        return put(key, value, flags, cpu);
    }

    @Override
    int programDelete(byte[] key) {
        return doDelete(key);
    }

    /** An update from user space ({@code cpu} -1: value in the user layout) or from a program on {@code cpu}. */
    private int put(byte[] key, byte[] value, long flags, int cpu) {
        if (badUpdateFlags(flags)) {
            return EINVAL;
        }
        Key k = new Key(key);
        Entry e = entries.get(k);
        if (e != null && flags == MapFlags.NOEXIST) {
            return EEXIST;
        }
        if (e == null && flags == MapFlags.EXIST) {
            return ENOENT;
        }
        if (e != null) {
            if (spec.type().perCpu()) {
                writeSlots(e.slots, value, cpu); // per-CPU values are updated in place
            } else {
                e.slots = newSlots(value, cpu); // a new element: a program's pointer to the old one no longer counts
            }
            if (lru) {
                touch(e);
            }
            return 0;
        }
        if (entries.size() >= capacity) {
            if (!lru) {
                return E2BIG;
            }
            Entry victim = oldest;
            entries.remove(victim.key);
            unlink(victim);
        }
        e = new Entry(Key.copyOf(key), newSlots(value, cpu));
        entries.put(e.key, e);
        e.prev = last;
        if (last == null) {
            first = e;
        } else {
            last.next = e;
        }
        last = e;
        if (lru) {
            linkNewest(e);
        }
        return 0;
    }

    private void unlink(Entry e) {
        if (e.prev == null) {
            first = e.next;
        } else {
            e.prev.next = e.next;
        }
        if (e.next == null) {
            last = e.prev;
        } else {
            e.next.prev = e.prev;
        }
        if (lru) {
            unlinkRecency(e);
        }
    }

    private void touch(Entry e) {
        if (newest != e) {
            unlinkRecency(e);
            linkNewest(e);
        }
    }

    private void linkNewest(Entry e) {
        e.older = newest;
        e.newer = null;
        if (newest == null) {
            oldest = e;
        } else {
            newest.newer = e;
        }
        newest = e;
    }

    private void unlinkRecency(Entry e) {
        if (e.older == null) {
            oldest = e.newer;
        } else {
            e.older.newer = e.newer;
        }
        if (e.newer == null) {
            newest = e.older;
        } else {
            e.newer.older = e.older;
        }
        e.older = null;
        e.newer = null;
    }
}
