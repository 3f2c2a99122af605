package io.jbpf.core.features;

/** The answer of one feature probe. */
public enum Support {
    /** The kernel has it: a probe object was created or loaded, or the kernel's own checks got past the type. */
    SUPPORTED,
    /** The kernel refused it as unknown. */
    UNSUPPORTED,
    /** No probe could tell (e.g. needs hardware or a target object); the kernel's BTF knows the name. */
    KNOWN_BY_BTF;

    /** Whether programs can rely on it. */
    public boolean available() {
        return this != UNSUPPORTED;
    }
}
