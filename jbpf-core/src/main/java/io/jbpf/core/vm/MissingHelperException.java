package io.jbpf.core.vm;

import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.UnknownHelperException;

/** The program called a helper that this VM does not implement; the message names it. */
public final class MissingHelperException extends VmException {
    private static final long serialVersionUID = 1L;

    private final int helperId;

    public MissingHelperException(int insnIndex, int helperId) {
        super(insnIndex, "helper " + describe(helperId) + " is not available in the VM");
        this.helperId = helperId;
    }

    /** The helper's number. */
    public int helperId() {
        return helperId;
    }

    static String describe(int helperId) {
        try {
            return Helper.ofId(helperId).cName() + " (" + helperId + ")";
        } catch (UnknownHelperException e) {
            return "#" + helperId;
        }
    }
}
