package io.jbpf.core.vm;

/** The program ran more instructions than its budget allows: an endless (or too long) loop. */
public final class BudgetExceededException extends VmException {
    private static final long serialVersionUID = 1L;

    public BudgetExceededException(int insnIndex, long budget) {
        super(insnIndex, "the program ran more than " + budget + " instructions (an endless loop?)");
    }
}
