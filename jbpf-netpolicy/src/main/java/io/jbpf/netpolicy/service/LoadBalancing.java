package io.jbpf.netpolicy.service;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a node picks a backend for a new connection, as Cilium's {@code loadBalancer.algorithm} and
 * {@code maglev.tableSize} settings.
 *
 * @param algorithm       {@link Algorithm#RANDOM} (Cilium's default) or {@link Algorithm#MAGLEV}
 * @param maglevTableSize the size M of each service's Maglev table: one of Cilium's allowed primes
 *                        ({@link #MAGLEV_SIZES}); it is built into the datapath's code
 */
public record LoadBalancing(Algorithm algorithm, int maglevTableSize) {
    /** The table sizes Cilium accepts for {@code maglev.tableSize}. */
    public static final List<Integer> MAGLEV_SIZES = List.of(251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071);
    /** Random selection, and a Maglev table size of 1021 for services switched to Maglev. */
    public static final LoadBalancing DEFAULTS = new LoadBalancing(Algorithm.RANDOM, 1021);

    /** The backend selection algorithms. */
    public enum Algorithm {
        /** A random backend per new connection. */
        RANDOM,
        /** Maglev consistent hashing of the connection's 5-tuple: every node picks the same backend. */
        MAGLEV;

        /**
         * The algorithm named as in Cilium's Helm values ({@code random}, {@code maglev}).
         *
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Algorithm parse(String name) {
            return switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "random" -> RANDOM;
                case "maglev" -> MAGLEV;
                default -> throw new IllegalArgumentException(
                        "load balancing algorithm '" + name + "' is not one of random, maglev");
            };
        }

        /** The name in Cilium's Helm values. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the table size. */
    public LoadBalancing {
        Objects.requireNonNull(algorithm, "algorithm");
        if (!MAGLEV_SIZES.contains(maglevTableSize)) {
            throw new IllegalArgumentException("Maglev table size " + maglevTableSize + " is not one of " + MAGLEV_SIZES);
        }
    }
}
