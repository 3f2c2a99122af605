package io.jbpf.test;

/**
 * The engine asked for cannot run programs here: the JIT is not in this build, or the kernel's
 * {@code bpf()} cannot be used (no permission, no syscall). {@link BpfTest} turns it into a skipped
 * invocation naming the {@link #reason()}, or a failure for the kernel under
 * {@code JBPF_REQUIRE_KERNEL=1}.
 */
public class EngineUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient BpfEngine engine;
    private final String reason;

    public EngineUnavailableException(BpfEngine engine, String reason, Throwable cause) {
        super(engine.displayName() + " engine not available: " + reason, cause);
        this.engine = engine;
        this.reason = reason;
    }

    /** The engine that is not available. */
    public BpfEngine engine() {
        return engine;
    }

    /** Why, in a few words (e.g. {@code bpf() fails with EPERM: run as root}). */
    public String reason() {
        return reason;
    }
}
