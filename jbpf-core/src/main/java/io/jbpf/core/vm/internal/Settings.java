package io.jbpf.core.vm.internal;

import io.jbpf.core.vm.FibTable;
import io.jbpf.core.vm.HelperFunction;
import java.util.Random;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** What a VM was configured with, shared by the runs of its programs. */
public final class Settings {
    public final HelperFunction[] helpers;
    public final int cpu;
    public final LongSupplier clock;
    public final Random random;
    public final long budget;
    /** Turns a program-array entry into the program it holds, or null. */
    public final Function<Object, Image> targets;
    /** The routes and devices of {@code bpf_fib_lookup}. */
    public final FibTable fib;

    public Settings(HelperFunction[] helpers, int cpu, LongSupplier clock, Random random, long budget,
            Function<Object, Image> targets) {
        this(helpers, cpu, clock, random, budget, targets, FibTable.EMPTY);
    }

    public Settings(HelperFunction[] helpers, int cpu, LongSupplier clock, Random random, long budget,
            Function<Object, Image> targets, FibTable fib) {
        this.fib = fib;
        this.helpers = helpers;
        this.cpu = cpu;
        this.clock = clock;
        this.random = random;
        this.budget = budget;
        this.targets = targets;
    }
}
