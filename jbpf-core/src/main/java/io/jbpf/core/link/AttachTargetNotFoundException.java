package io.jbpf.core.link;

import io.jbpf.core.JbpfException;

/**
 * What a program should attach to does not exist: a network interface, a cgroup directory, a
 * kernel or user-space symbol, a tracepoint, a binary. Names the kind and the name that was asked for.
 */
public class AttachTargetNotFoundException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final String kind;
    private final String name;

    /**
     * @param kind what kind of target, e.g. {@code "network interface"}
     * @param name the name that was asked for
     * @param detail where it was looked for and what to do, appended to the message
     */
    public AttachTargetNotFoundException(String kind, String name, String detail) {
        super(kind + " '" + name + "' not found" + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.kind = kind;
        this.name = name;
    }

    /** The kind of target, e.g. {@code "network interface"}, {@code "cgroup"}, {@code "kernel symbol"}. */
    public String kind() {
        return kind;
    }

    /** The name that was asked for. */
    public String name() {
        return name;
    }
}
