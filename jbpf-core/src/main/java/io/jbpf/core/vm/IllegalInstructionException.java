package io.jbpf.core.vm;

/**
 * The program cannot be run as written: an unknown opcode, a jump out of the program or into the
 * second half of a 64-bit load, calls nested too deep, a helper used with arguments it refuses.
 */
public final class IllegalInstructionException extends VmException {
    private static final long serialVersionUID = 1L;

    public IllegalInstructionException(int insnIndex, String message) {
        super(insnIndex, message);
    }
}
