package io.jbpf.core.map;

import io.jbpf.core.Errno;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * HASH, PERCPU_HASH, LRU_HASH and LRU_PERCPU_HASH. Entries sit in a list in insertion order, which
 * is the {@code nextKey} order (stable while keys are only looked up or replaced), and, for LRU
 * maps, in a second list by recency: a new key that does not fit evicts the least recently used.
 *
 * <p>Keys are found through a chained table whose chains are immutable and whose buckets are
 * published with release stores, so that programs look keys up without the map's lock, as the
 * kernel's hash map does under RCU (a lookup racing an update sees the element before or after
 * it). Everything that changes the map, and LRU lookups (which reorder the recency list), hold the
 * lock.
 */
final class MemoryHashMap extends MemoryMapBase {
    private static final int CREATE_FLAGS = MapFlags.NO_PREALLOC | MapFlags.NO_COMMON_LRU | MapFlags.NUMA_NODE
            | ACCESS_MASK | MapFlags.ZERO_SEED;
    /** {@code PCPU_MIN_UNIT_SIZE}: the largest per-CPU value. */
    private static final int MAX_PERCPU_VALUE = 32768;
    private static final VarHandle BUCKET = MethodHandles.arrayElementVarHandle(Node[].class);

    private static final class Entry {
        final Key key;
        /** Replaced (not written) by updates of non-per-CPU maps, read without the lock. */
        volatile byte[][] slots;
        Entry prev;
        Entry next;
        Entry older;
        Entry newer;

        Entry(Key key, byte[][] slots) {
            this.key = key;
            this.slots = slots;
        }
    }

    /** A link of a bucket's chain: never changed once published (removal copies the links before it). */
    private static final class Node {
        final Entry entry;
        final Node next;

        Node(Entry entry, Node next) {
            this.entry = entry;
            this.next = next;
        }
    }

    private final boolean lru;
    private final int capacity;
    /** The buckets: a power of two, replaced by a larger copy when three quarters full. */
    private volatile Node[] table = new Node[16];
    private int size;
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
        Entry e = find(key, 0);
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
        Entry e = find(key, 0);
        if (e == null) {
            return ENOENT;
        }
        remove(e);
        return 0;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        Entry e = key == null ? null : find(key, 0);
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
        Entry e = find(key, 0);
        if (e == null) {
            return ENOENT;
        }
        remove(e);
        readSlots(e.slots, value);
        return 0;
    }

    @Override
    byte[] programLookup(byte[] key, int cpu) {
        Entry e = find(key, 0);
        if (e == null) {
            return null;
        }
        if (lru) {
            touch(e);
        }
        return slot(e.slots, cpu);
    }

    /** Without the lock unless LRU (a lookup marks the entry used). */
    @Override
    byte[] programLookupAt(byte[] memory, int offset, int cpu) {
        if (lru) {
            synchronized (this) {
                Entry e = find(memory, offset);
                if (e == null) {
                    return null;
                }
                touch(e);
                return slot(e.slots, cpu);
            }
        }
        Entry e = find(memory, offset);
        return e == null ? null : slot(e.slots, cpu);
    }

    /** The entry of the key at {@code b[off, off + keySize)}, or null; safe without the lock. */
    private Entry find(byte[] b, int off) {
        int n = spec.keySize();
        Node[] t = table;
        if (n <= 8) {
            // a short key is compared as one long
            long v = Key.small(b, off, n);
            int h = Key.mix(v);
            for (Node x = (Node) BUCKET.getAcquire(t, bucket(h, t.length)); x != null; x = x.next) {
                Key k = x.entry.key;
                if (k.small == v && k.hash == h) {
                    return x.entry;
                }
            }
            return null;
        }
        int h = Key.hash(b, off, n);
        for (Node x = (Node) BUCKET.getAcquire(t, bucket(h, t.length)); x != null; x = x.next) {
            Key k = x.entry.key;
            if (k.hash == h && Arrays.equals(k.bytes, 0, n, b, off, off + n)) {
                return x.entry;
            }
        }
        return null;
    }

    private static int bucket(int hash, int buckets) {
        return (hash ^ (hash >>> 16)) & (buckets - 1);
    }

    /** Adds a new entry to the table (under the lock). */
    private void insert(Entry e) {
        Node[] t = table;
        if (size + 1 > t.length - (t.length >> 2)) {
            t = grow(t);
        }
        int i = bucket(e.key.hash, t.length);
        BUCKET.setRelease(t, i, new Node(e, t[i]));
        size++;
    }

    /** A table twice as large with the same entries, published at once (under the lock). */
    private Node[] grow(Node[] t) {
        Node[] bigger = new Node[t.length * 2];
        for (Node head : t) {
            for (Node x = head; x != null; x = x.next) {
                int i = bucket(x.entry.key.hash, bigger.length);
                bigger[i] = new Node(x.entry, bigger[i]);
            }
        }
        table = bigger;
        return bigger;
    }

    /** Takes {@code e} out of the table and the lists (under the lock). */
    private void remove(Entry e) {
        Node[] t = table;
        int i = bucket(e.key.hash, t.length);
        BUCKET.setRelease(t, i, without(t[i], e));
        size--;
        unlink(e);
    }

    /** The chain without {@code e}: the links before it copied, the rest shared. */
    private static Node without(Node chain, Entry e) {
        return chain.entry == e ? chain.next : new Node(chain.entry, without(chain.next, e));
    }

    @Override
    int programUpdate(byte[] key, byte[] value, long flags, int cpu) {
        return put(key, value, flags, cpu);
    }

    @Override
    int programDelete(byte[] key) {
        return doDelete(key);
    }

    @Override
    int programUpdateAt(byte[] keyMemory, int keyOffset, byte[] valueMemory, int valueOffset, long flags, int cpu) {
        return put(keyMemory, keyOffset, valueMemory, valueOffset, flags, cpu);
    }

    /** An update from user space ({@code cpu} -1: value in the user layout) or from a program on {@code cpu}. */
    private int put(byte[] key, byte[] value, long flags, int cpu) {
        return put(key, 0, value, 0, flags, cpu);
    }

    /** {@link #put(byte[], byte[], long, int)} of the key and value starting at {@code key[keyAt]} and {@code value[valueAt]}. */
    private int put(byte[] key, int keyAt, byte[] value, int valueAt, long flags, int cpu) {
        if (badUpdateFlags(flags)) {
            return EINVAL;
        }
        Entry e = find(key, keyAt);
        if (e != null && flags == MapFlags.NOEXIST) {
            return EEXIST;
        }
        if (e == null && flags == MapFlags.EXIST) {
            return ENOENT;
        }
        if (e != null) {
            if (spec.type().perCpu()) {
                writeSlots(e.slots, value, valueAt, cpu); // per-CPU values are updated in place
            } else {
                e.slots = newSlots(value, valueAt, cpu); // a new element: a program's pointer to the old one no longer counts
            }
            if (lru) {
                touch(e);
            }
            return 0;
        }
        if (size >= capacity) {
            if (!lru) {
                return E2BIG;
            }
            remove(oldest);
        }
        e = new Entry(new Key(Arrays.copyOfRange(key, keyAt, keyAt + spec.keySize())), newSlots(value, valueAt, cpu));
        insert(e);
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
