package io.jbpf.core.map;

import io.jbpf.core.Errno;
import java.util.Map;
import java.util.TreeMap;

/**
 * LPM_TRIE. Keys are {@code struct bpf_lpm_trie_key}: a host-order u32 prefix length and the data,
 * of which only the first {@code prefixlen} bits count (two keys that differ after them are the same
 * entry, as in the kernel's trie). Entries are held by their canonical key (bits after the prefix
 * cleared); lookups probe the stored prefix lengths from the longest down. {@code nextKey} walks the
 * canonical keys in byte order: every key once, though not in the kernel's order. Implements the
 * kernel's semantics since Linux 6.14 (NOEXIST/EXIST honoured, replacing works in a full trie).
 */
final class MemoryLpmTrie extends MemoryMapBase {
    private static final int CREATE_FLAGS = MapFlags.NO_PREALLOC | MapFlags.NUMA_NODE | ACCESS_MASK;

    private static final class Entry {
        /** The key as last written (the kernel keeps the updating key's bytes). */
        byte[] key;
        byte[] value;

        Entry(byte[] key, byte[] value) {
            this.key = key;
            this.value = value;
        }
    }

    private final int maxPrefixLen;
    private final TreeMap<Key, Entry> entries = new TreeMap<>();
    /** How many entries have each prefix length. */
    private final TreeMap<Integer, Integer> prefixLens = new TreeMap<>();

    MemoryLpmTrie(MapSpec spec, int cpus) {
        super(spec, cpus);
        require(spec, (spec.flags() & MapFlags.NO_PREALLOC) != 0, Errno.EINVAL, "LPM tries need the NO_PREALLOC flag");
        allowFlags(spec, CREATE_FLAGS);
        require(spec, spec.keySize() >= 5 && spec.keySize() <= 4 + 256, Errno.EINVAL,
                "keys are a 4-byte prefix length and 1 to 256 bytes of data");
        require(spec, spec.valueSize() > 0 && spec.maxEntries() > 0, Errno.EINVAL,
                "value size and max entries must be positive");
        this.maxPrefixLen = (spec.keySize() - 4) * 8;
    }

    /** The key with only its first {@code prefixLen} data bits, prefix length included. */
    private static byte[] canonical(byte[] key, int prefixLen) {
        byte[] c = new byte[key.length];
        System.arraycopy(u32Key(prefixLen), 0, c, 0, 4);
        int full = prefixLen / 8;
        System.arraycopy(key, 4, c, 4, full);
        int rest = prefixLen % 8;
        if (rest != 0) {
            c[4 + full] = (byte) (key[4 + full] & (0xff << (8 - rest)));
        }
        return c;
    }

    /** The prefix length of {@code key}, or -1 when longer than the data (u32 compare). */
    private int prefixLen(byte[] key) {
        int p = u32(key);
        return Integer.compareUnsigned(p, maxPrefixLen) <= 0 ? p : -1;
    }

    /** The entry with the longest prefix that matches {@code key} (up to its prefix length), or null. */
    private Entry match(byte[] key) {
        int limit = prefixLen(key);
        if (limit < 0) {
            return null; // a prefix longer than the data matches nothing, as in the kernel
        }
        for (Integer len : prefixLens.headMap(limit, true).descendingKeySet()) {
            Entry e = entries.get(new Key(canonical(key, len)));
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    @Override
    int doLookup(byte[] key, byte[] value) {
        Entry e = match(key);
        if (e == null) {
            return ENOENT;
        }
        System.arraycopy(e.value, 0, value, 0, value.length);
        return 0;
    }

    @Override
    int doUpdate(byte[] key, byte[] value, long flags) {
        if (Long.compareUnsigned(flags, MapFlags.EXIST) > 0) {
            return EINVAL;
        }
        int p = prefixLen(key);
        if (p < 0) {
            return EINVAL;
        }
        Key k = new Key(canonical(key, p));
        Entry e = entries.get(k);
        if (e != null) {
            if (flags == MapFlags.NOEXIST) {
                return EEXIST;
            }
            e.key = key.clone();
            e.value = value.clone();
            return 0;
        }
        if (flags == MapFlags.EXIST) {
            return ENOENT;
        }
        if (entries.size() >= spec.maxEntries()) {
            return ENOSPC;
        }
        entries.put(k, new Entry(key.clone(), value.clone()));
        prefixLens.merge(p, 1, Integer::sum);
        return 0;
    }

    @Override
    int doDelete(byte[] key) {
        int p = prefixLen(key);
        if (p < 0) {
            return EINVAL;
        }
        if (entries.remove(new Key(canonical(key, p))) == null) {
            return ENOENT;
        }
        prefixLens.compute(p, (len, n) -> n == 1 ? null : n - 1);
        return 0;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        Map.Entry<Key, Entry> n = null;
        if (key != null) {
            int p = prefixLen(key);
            Key k = p < 0 ? null : new Key(canonical(key, p));
            if (k != null && entries.containsKey(k)) {
                n = entries.higherEntry(k);
                if (n == null) {
                    return ENOENT;
                }
            }
        }
        if (n == null) {
            n = entries.firstEntry(); // no key, or one not in the trie: start at the first
        }
        if (n == null) {
            return ENOENT;
        }
        System.arraycopy(n.getValue().key, 0, next, 0, next.length);
        return 0;
    }

    @Override
    byte[] programLookup(byte[] key, int cpu) {
        Entry e = match(key);
        return e == null ? null : e.value;
    }

    @Override
    int programUpdate(byte[] key, byte[] value, long flags, int cpu) {
        return doUpdate(key, value, flags);
    }

    @Override
    int programDelete(byte[] key) {
        return doDelete(key);
    }
}
