package io.jbpf.core.vm;

import java.util.List;

/**
 * What one run of a program gave.
 *
 * @param returnValue   r0 at exit
 * @param data          the memory or packet after the run (the packet as the program left it,
 *                      after any head or tail adjustment)
 * @param context       the context struct after the run ({@code __sk_buff} for socket buffers),
 *                      empty for others
 * @param redirectIfindex the interface a {@code bpf_redirect} asked for, or -1
 * @param redirectFlags the flags it gave
 * @param trace         the lines {@code bpf_trace_printk} printed
 * @param instructions  how many instructions ran
 *
 * <p>The arrays given to the constructor become the result's own (not copied); the accessors
 * return copies.
 */
public record RunResult(long returnValue, byte[] data, byte[] context, int redirectIfindex, long redirectFlags,
        List<String> trace, long instructions) {
    public RunResult {
        java.util.Objects.requireNonNull(data, "data");
        java.util.Objects.requireNonNull(context, "context");
        trace = List.copyOf(trace);
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public byte[] context() {
        return context.clone();
    }

    /** r0 as the 32-bit verdict programs return. */
    public int verdict() {
        return (int) returnValue;
    }
}
