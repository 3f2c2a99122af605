package io.jbpf.core.dsl.lb;

/** How a service picks a backend for a new flow; the number is what the program reads from the service entry. */
public enum Algorithm {
    /** A random backend ({@code bpf_get_prandom_u32}). */
    RANDOM(0),
    /** The flow hash of the 5-tuple modulo the backend count. */
    HASH(1),
    /** The slot of the service's Maglev table that the flow hash selects. */
    MAGLEV(2);

    private final int number;

    Algorithm(int number) {
        this.number = number;
    }

    /** The number stored in the service entry. */
    public int number() {
        return number;
    }
}
