package io.jbpf.core.vm.internal;

/** An engine's form of one program: runs the function at {@code entry} until its exit. */
public interface Executor {
    /**
     * Runs from slot {@code entry} with r1–r5 and r10 = {@code fp}, following local calls, until
     * the function returns; gives r0. Stops early (returning anything) when the machine is
     * {@linkplain Machine#unwinding unwinding}.
     */
    long execute(Machine m, int entry, long r1, long r2, long r3, long r4, long r5, long fp);
}
