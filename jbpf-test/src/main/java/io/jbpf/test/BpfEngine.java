package io.jbpf.test;

import io.jbpf.core.vm.Engine;
import java.util.Optional;

/**
 * Where a {@link BpfProgramUnderTest} runs: one of the VM's engines, or the kernel through
 * {@code BPF_PROG_TEST_RUN}.
 */
public enum BpfEngine {
    /** The VM's interpreter ({@link Engine#INTERPRETER}). Always available. */
    INTERPRETER("interpreter"),
    /** The VM's JIT to JVM bytecode ({@link Engine#JIT}); unavailable in builds that lack it. */
    JIT("JIT"),
    /**
     * The running kernel: maps are created, the program is loaded (and verified) and run with
     * {@code BPF_PROG_TEST_RUN}. Needs {@code bpf()} permission (root or CAP_BPF/CAP_NET_ADMIN).
     */
    KERNEL("kernel");

    private final String displayName;

    BpfEngine(String displayName) {
        this.displayName = displayName;
    }

    /** The name tests show for this engine: {@code interpreter}, {@code JIT} or {@code kernel}. */
    public String displayName() {
        return displayName;
    }

    /** The VM engine this is, or empty for {@link #KERNEL}. */
    public Optional<Engine> vmEngine() {
        switch (this) {
            case INTERPRETER:
                return Optional.of(Engine.INTERPRETER);
            case JIT:
                return Optional.of(Engine.JIT);
            default:
                return Optional.empty();
        }
    }

    /** Whether this is one of the VM's engines. */
    public boolean isVm() {
        return this != KERNEL;
    }
}
