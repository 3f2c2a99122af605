package io.jbpf.core.vm.internal;

/**
 * The context of one run as the VM holds it: where r1 (and r2) point, what the packet helpers
 * may change, and what comes back in the run's result.
 */
public abstract class ContextState {
    public int redirectIfindex = -1;
    public long redirectFlags;

    /** The value of r1 at entry. */
    public abstract long r1();

    /** The value of r2 at entry. */
    public long r2() {
        return 0;
    }

    /** The memory or packet after the run. */
    public abstract byte[] data();

    /** The context struct after the run, as the kernel's test run copies it out. */
    public byte[] contextOut() {
        return new byte[0];
    }

    /** The verdict {@code bpf_redirect} returns for this kind of program. */
    public abstract long redirectVerdict();

    /** Whether r1 is this context (the first argument of the packet helpers). */
    public abstract boolean isContext(long address);

    /**
     * A legacy packet load ({@code LD_ABS}/{@code LD_IND}): {@code size} bytes in network order at
     * {@code offset}, or -1 when out of the packet (the program then ends with r0 = 0).
     */
    public long packetLoad(int offset, int size) {
        return -1;
    }
}
