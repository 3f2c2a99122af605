package io.jbpf.core.testing;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs commands for tests (ip, tc, ping) and returns their exit code and output. */
public final class Shell {
    /** A finished command. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    private Shell() {}

    /** Runs {@code command}, waiting at most 30 s. */
    public static Result run(String... command) {
        try {
            Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return new Result(-1, "timed out: " + String.join(" ", command));
            }
            String out = new String(p.getInputStream().readAllBytes());
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} and fails unless it exits with 0. */
    public static String check(String... command) {
        Result r = run(command);
        if (!r.ok()) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + r.exitCode() + ": " + r.output());
        }
        return r.output();
    }
}
