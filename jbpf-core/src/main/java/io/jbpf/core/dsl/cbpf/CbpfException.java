package io.jbpf.core.dsl.cbpf;

import io.jbpf.core.JbpfException;

/**
 * A classic BPF program or instruction that the kernel would refuse (see
 * {@link CbpfProgram#validate()}), or one that cannot be run or converted as asked.
 *
 * <p>{@link #index()} is the index of the offending instruction in its program, or {@code -1} when
 * the problem is not tied to one instruction (an empty or too long program).
 */
public class CbpfException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final String problem;

    /** A problem with the whole program (no single instruction to blame). */
    public CbpfException(String problem) {
        this(-1, problem);
    }

    /** A problem with instruction {@code index}. */
    public CbpfException(int index, String problem) {
        super(index < 0 ? "classic BPF: " + problem : "classic BPF instruction " + index + ": " + problem);
        this.index = index;
        this.problem = problem;
    }

    /** The index of the offending instruction, or {@code -1}. */
    public int index() {
        return index;
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }
}
