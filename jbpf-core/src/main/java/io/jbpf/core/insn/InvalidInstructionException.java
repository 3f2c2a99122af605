package io.jbpf.core.insn;

import io.jbpf.core.JbpfException;

/**
 * An instruction that cannot exist: an unknown opcode, a register outside r0..r10, a field that
 * does not fit, bytes that end in the middle of an instruction, or a value that cannot be encoded
 * (an unresolved map reference).
 *
 * <p>{@link #index()} says where: for decoding, the slot (byte offset / 8) of the offending
 * instruction; for encoding, its position in the list; {@code -1} when the instruction was
 * built on its own, outside any program.
 */
public class InvalidInstructionException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final String problem;

    /** An invalid instruction that is not (yet) part of a program. */
    public InvalidInstructionException(String problem) {
        this(-1, problem);
    }

    /** An invalid instruction at {@code index} of a program. */
    public InvalidInstructionException(int index, String problem) {
        super(index < 0 ? "invalid instruction: " + problem : "invalid instruction " + index + ": " + problem);
        this.index = index;
        this.problem = problem;
    }

    /** Where the instruction is: a slot when decoding, a list index when encoding, or -1. */
    public int index() {
        return index;
    }

    /** What is wrong, without the position. */
    public String problem() {
        return problem;
    }

    /** This problem placed at {@code newIndex}; returns {@code this} if it already has a position. */
    InvalidInstructionException at(int newIndex) {
        return index >= 0 ? this : new InvalidInstructionException(newIndex, problem);
    }
}
