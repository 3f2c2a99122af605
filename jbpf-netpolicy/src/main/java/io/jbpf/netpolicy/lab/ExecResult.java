package io.jbpf.netpolicy.lab;

/**
 * A finished command.
 *
 * @param exitCode its exit code ({@code -1} when it was killed for running too long)
 * @param output   its standard output and error, interleaved
 */
public record ExecResult(int exitCode, String output) {
    /** Whether it exited with 0. */
    public boolean ok() {
        return exitCode == 0;
    }
}
