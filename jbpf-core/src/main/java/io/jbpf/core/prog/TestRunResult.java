package io.jbpf.core.prog;

/**
 * What one {@code BPF_PROG_TEST_RUN} returned.
 *
 * @param returnValue  the program's return value (r0), e.g. an XDP action
 * @param durationNs   the kernel's mean time per run, in nanoseconds
 * @param data         the packet as the program left it (empty when there was none)
 * @param context      the context as the program left it (empty when there was none)
 */
public record TestRunResult(int returnValue, int durationNs, byte[] data, byte[] context) {
}
