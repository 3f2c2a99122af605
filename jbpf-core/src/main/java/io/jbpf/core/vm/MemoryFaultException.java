package io.jbpf.core.vm;

/**
 * A load, store or helper touched memory the program may not touch: outside the context, the
 * packet between data and data_end, the stack, a map value or a ring buffer record, or a write to
 * read-only memory.
 */
public final class MemoryFaultException extends VmException {
    private static final long serialVersionUID = 1L;

    private final long address;

    public MemoryFaultException(int insnIndex, long address, String message) {
        super(insnIndex, message);
        this.address = address;
    }

    /** The VM address that was accessed. */
    public long address() {
        return address;
    }
}
