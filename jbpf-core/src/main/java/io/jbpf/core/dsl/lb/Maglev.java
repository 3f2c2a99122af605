package io.jbpf.core.dsl.lb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A Maglev lookup table (Eisenbud et al., "Maglev: A Fast and Reliable Software Network Load
 * Balancer", NSDI 2016, section 3.4): {@code M} slots, each naming one backend, such that backends
 * get nearly equal shares (or shares in proportion to their weights) and a change of the backend set
 * moves few slots.
 *
 * <p>Each backend's name gives two independent hashes: {@code offset = h1 mod M} and
 * {@code skip = h2 mod (M - 1) + 1}; its preference list is {@code (offset + j * skip) mod M} for
 * {@code j = 0, 1, …}, a permutation of the slots because {@code M} is prime. The table is filled in
 * rounds: in each round every backend claims the next slot of its preference list that is still
 * empty, until all {@code M} slots are taken. With weights, a backend takes a turn in a round as
 * often as its accumulated weight credit allows (credit grows by its weight each round and a turn
 * costs the largest weight), so shares follow weights and the equal-weight case is the paper's.
 *
 * <p>The table depends only on the backends' names, weights and order of the list, never on the
 * order in which they were added earlier: two processes given the same list build the same table.
 */
public final class Maglev {
    /** The default table size, a prime as the paper recommends (much larger than the backend count). */
    public static final int DEFAULT_SIZE = 16381;
    /** A larger prime table size, for many backends or finer shares. */
    public static final int LARGE_SIZE = 65537;

    private final List<Backend> backends;
    private final int[] table;

    /**
     * A backend: a stable name (the hashes come from it, so it must not change while the backend
     * lives; an address and port like {@code "10.0.0.2:80"} is typical) and a weight {@code >= 1}.
     *
     * @param name   the backend's stable name
     * @param weight its relative weight, at least 1
     */
    public record Backend(String name, int weight) {
        public Backend {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a Maglev backend needs a non-empty name");
            }
            if (weight < 1) {
                throw new IllegalArgumentException("backend '" + name + "': weight " + weight + " must be at least 1");
            }
        }

        /** A backend of weight 1. */
        public static Backend of(String name) {
            return new Backend(name, 1);
        }
    }

    private Maglev(List<Backend> backends, int[] table) {
        this.backends = backends;
        this.table = table;
    }

    /** Builds the table of size {@link #DEFAULT_SIZE} for equally weighted backends named {@code names}. */
    public static Maglev ofNames(List<String> names) {
        List<Backend> list = new ArrayList<>(names.size());
        for (String n : names) {
            list.add(Backend.of(n));
        }
        return build(list, DEFAULT_SIZE);
    }

    /**
     * Builds the table.
     *
     * @param backends the backends, distinct names, at least one; slot values are indices into this list
     * @param size     the table size M: a prime greater than the number of backends
     * @throws IllegalArgumentException if {@code size} is not prime or not greater than the backend
     *         count, or names repeat
     */
    public static Maglev build(List<Backend> backends, int size) {
        Objects.requireNonNull(backends, "backends");
        List<Backend> list = List.copyOf(backends);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("a Maglev table needs at least one backend");
        }
        if (!isPrime(size)) {
            throw new IllegalArgumentException("Maglev table size " + size + " is not prime (use "
                    + DEFAULT_SIZE + " or " + LARGE_SIZE + ")");
        }
        if (size <= list.size()) {
            throw new IllegalArgumentException("Maglev table size " + size + " must be greater than the number of backends ("
                    + list.size() + ")");
        }
        Set<String> seen = new HashSet<>();
        for (Backend b : list) {
            if (!seen.add(b.name())) {
                throw new IllegalArgumentException("backend name '" + b.name() + "' appears twice");
            }
        }
        return new Maglev(list, populate(list, size));
    }

    private static int[] populate(List<Backend> list, int m) {
        int n = list.size();
        long[] offset = new long[n];
        long[] skip = new long[n];
        int maxWeight = 1;
        for (int i = 0; i < n; i++) {
            byte[] name = list.get(i).name().getBytes(StandardCharsets.UTF_8);
            offset[i] = Long.remainderUnsigned(hash(name, 0x6d61676c65764f66L), m);
            skip[i] = Long.remainderUnsigned(hash(name, 0x6d61676c65765368L), m - 1) + 1;
            maxWeight = Math.max(maxWeight, list.get(i).weight());
        }
        long[] next = new long[n];
        long[] credit = new long[n];
        int[] entry = new int[m];
        Arrays.fill(entry, -1);
        int filled = 0;
        while (true) {
            for (int i = 0; i < n; i++) {
                credit[i] += list.get(i).weight();
                while (credit[i] >= maxWeight) {
                    credit[i] -= maxWeight;
                    int c = (int) ((offset[i] + next[i] * skip[i]) % m);
                    while (entry[c] >= 0) {
                        next[i]++;
                        c = (int) ((offset[i] + next[i] * skip[i]) % m);
                    }
                    entry[c] = i;
                    next[i]++;
                    if (++filled == m) {
                        return entry;
                    }
                }
            }
        }
    }

    /** A 64-bit hash of {@code data} (byte-wise multiply and mix, then a final avalanche), seeded. */
    static long hash(byte[] data, long seed) {
        long h = seed ^ (data.length * 0x9E3779B97F4A7C15L);
        for (byte b : data) {
            h ^= (b & 0xff);
            h *= 0x100000001B3L;
            h = Long.rotateLeft(h, 29) ^ (h >>> 17);
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Whether {@code m} is prime (trial division; table sizes are small). */
    public static boolean isPrime(int m) {
        if (m < 2) {
            return false;
        }
        if (m % 2 == 0) {
            return m == 2;
        }
        for (int d = 3; (long) d * d <= m; d += 2) {
            if (m % d == 0) {
                return false;
            }
        }
        return true;
    }

    /** The table size M. */
    public int size() {
        return table.length;
    }

    /** The backends, in the order given; slot values index this list. */
    public List<Backend> backends() {
        return backends;
    }

    /** The backend index in slot {@code slot}. */
    public int slot(int slot) {
        return table[slot];
    }

    /** A copy of the whole table: slot → backend index. */
    public int[] table() {
        return table.clone();
    }

    /** The backend of the slot a flow hash selects ({@code hash mod M}, unsigned). */
    public Backend lookup(int flowHash) {
        return backends.get(table[(int) Long.remainderUnsigned(flowHash & 0xffffffffL, table.length)]);
    }

    /** How many slots each backend holds, indexed as {@link #backends()}. */
    public int[] counts() {
        int[] c = new int[backends.size()];
        for (int b : table) {
            c[b]++;
        }
        return c;
    }
}
