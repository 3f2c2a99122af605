package io.jbpf.core.map;

import io.jbpf.core.Errno;
import java.util.BitSet;

/**
 * BLOOM_FILTER: {@code mapExtra & 0xf} hash functions (0 means 5, as in the kernel) over a bit array
 * sized as the kernel sizes it ({@code max_entries × hashes / ln 2} bits, rounded up to a power of
 * two, at least 64; capped here at 2^30 bits, which only raises the false-positive rate). No false
 * negatives. The hash functions are not the kernel's jhash: which values collide differs.
 */
final class MemoryBloomFilter extends MemoryMapBase {
    private static final int CREATE_FLAGS = MapFlags.NUMA_NODE | MapFlags.ZERO_SEED | ACCESS_MASK;
    private static final long MAX_BITS = 1L << 30;

    private final int hashes;
    private final long mask;
    private final BitSet bits = new BitSet();

    MemoryBloomFilter(MapSpec spec, int cpus) {
        super(spec, cpus);
        allowFlags(spec, CREATE_FLAGS);
        require(spec, spec.keySize() == 0 && spec.valueSize() > 0 && spec.maxEntries() > 0, Errno.EINVAL,
                "bloom filters have no key, and a positive value size and max entries");
        require(spec, (spec.mapExtra() & ~0xfL) == 0, Errno.EINVAL, "map extra " + spec.mapExtra()
                + ": the number of hash functions is 0 to 15");
        int n = (int) spec.mapExtra();
        this.hashes = n == 0 ? 5 : n;
        long want = (long) spec.maxEntries() * hashes * 1443 / 1000; // / ln 2
        long size = 64;
        while (size < want && size < MAX_BITS) {
            size <<= 1;
        }
        this.mask = size - 1;
    }

    /** Hash {@code i} of {@code value}: a 64-bit FNV-1a seeded by {@code i}, finished with a murmur mix. */
    private int bit(byte[] value, int i) {
        long h = 0xcbf29ce484222325L ^ (i * 0x9E3779B97F4A7C15L);
        for (byte b : value) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (int) (h & mask);
    }

    @Override
    int doPush(byte[] value, long flags) {
        if (flags != MapFlags.ANY) {
            return EINVAL;
        }
        for (int i = 0; i < hashes; i++) {
            bits.set(bit(value, i));
        }
        return 0;
    }

    @Override
    int doPeek(byte[] value) {
        for (int i = 0; i < hashes; i++) {
            if (!bits.get(bit(value, i))) {
                return ENOENT;
            }
        }
        return 0;
    }

    @Override
    int doLookup(byte[] key, byte[] value) {
        return doPeek(value); // the value buffer holds what is asked about; it is not written
    }

    @Override
    int doUpdate(byte[] key, byte[] value, long flags) {
        return doPush(value, flags);
    }

    @Override
    int doDelete(byte[] key) {
        return EOPNOTSUPP;
    }

    @Override
    int doNextKey(byte[] key, byte[] next) {
        return EOPNOTSUPP;
    }
}
