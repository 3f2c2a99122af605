package io.jbpf.core.vm;

import io.jbpf.core.JbpfException;

/**
 * A program run in the VM stopped because it did something the kernel would not let it do: a bad
 * memory access, too many instructions, a helper the VM does not have, an instruction it cannot
 * execute. Carries the index (in 8-byte slots) of the instruction that stopped it, or -1 when the
 * fault was found before the program ran.
 */
public class VmException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final int insnIndex;

    public VmException(int insnIndex, String message) {
        super(insnIndex >= 0 ? message + " (at instruction " + insnIndex + ")" : message);
        this.insnIndex = insnIndex;
    }

    /** The slot index of the instruction that failed, or -1 when no instruction was running. */
    public int insnIndex() {
        return insnIndex;
    }
}
