package io.jbpf.core.prog;

import java.util.Arrays;

/**
 * What to feed one {@code BPF_PROG_TEST_RUN}: packet data and/or a context, a repeat count,
 * flags and CPU. Immutable; each {@code with…} returns a new value.
 */
public final class TestRun {
    private final byte[] data;
    private final int dataOutSize;
    private final byte[] context;
    private final int contextOutSize;
    private final int repeat;
    private final int flags;
    private final int cpu;

    private TestRun(byte[] data, int dataOutSize, byte[] context, int contextOutSize, int repeat, int flags, int cpu) {
        this.data = data;
        this.dataOutSize = dataOutSize;
        this.context = context;
        this.contextOutSize = contextOutSize;
        this.repeat = repeat;
        this.flags = flags;
        this.cpu = cpu;
    }

    /** A run over packet {@code data} (room for the program to grow it by 4 KiB on the way out). */
    public static TestRun withData(byte[] data) {
        return new TestRun(data.clone(), data.length + 4096, null, 0, 1, 0, 0);
    }

    /**
     * A run with a context only (syscall, raw tracepoint programs). The kernel refuses such runs
     * when they ask for a context out or a repeat count, so this run asks for neither: a syscall
     * program's context comes back as the kernel wrote it into the input
     * ({@link TestRunResult#context()}).
     */
    public static TestRun withContext(byte[] context) {
        return new TestRun(null, 0, context.clone(), 0, 0, 0, 0);
    }

    /** This run with a context as well (e.g. {@code xdp_md} or {@code __sk_buff} fields). */
    public TestRun context(byte[] newContext) {
        return new TestRun(data, dataOutSize, newContext.clone(), newContext.length, repeat, flags, cpu);
    }

    /** Run the program {@code times} times; the result reports the mean duration. */
    public TestRun repeat(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, not " + times);
        }
        return new TestRun(data, dataOutSize, context, contextOutSize, times, flags, cpu);
    }

    /** {@code BPF_F_TEST_*} flags (e.g. run on a given CPU, XDP live frames). */
    public TestRun flags(int newFlags) {
        return new TestRun(data, dataOutSize, context, contextOutSize, repeat, newFlags, cpu);
    }

    /** Run on {@code cpuId} (sets {@code BPF_F_TEST_RUN_ON_CPU}). */
    public TestRun onCpu(int cpuId) {
        return new TestRun(data, dataOutSize, context, contextOutSize, repeat, flags | 1, cpuId);
    }

    /** The room given for output data. */
    public TestRun dataOutSize(int size) {
        return new TestRun(data, size, context, contextOutSize, repeat, flags, cpu);
    }

    byte[] data() {
        return data;
    }

    int dataOutSize() {
        return dataOutSize;
    }

    byte[] context() {
        return context;
    }

    int contextOutSize() {
        return contextOutSize;
    }

    int repeatCount() {
        return repeat;
    }

    int flagBits() {
        return flags;
    }

    int cpuId() {
        return cpu;
    }

    @Override
    public String toString() {
        return "TestRun[data " + (data == null ? "none" : data.length + " bytes") + ", context "
                + (context == null ? "none" : Arrays.toString(context)) + ", repeat " + repeat + "]";
    }
}
