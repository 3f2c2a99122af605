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
 */
public record RunResult(long returnValue, byte[] data, byte[] context, int redirectIfindex, long redirectFlags,
        List<String> trace, long instructions) {
    public RunResult {
        data = data.clone();
        context = context.clone();
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
