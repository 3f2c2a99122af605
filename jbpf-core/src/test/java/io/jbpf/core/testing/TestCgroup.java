package io.jbpf.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** A cgroup v2 directory {@code jbpf-<pid>-<n>} made for a test and removed by {@link #close()}. */
public final class TestCgroup implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path path;

    private TestCgroup(Path path) {
        this.path = path;
    }

    /** The cgroup2 mount point, from /proc/mounts. */
    public static Path root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals("cgroup2")) {
                    return Path.of(f[1]);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException("no cgroup2 mount in /proc/mounts");
    }

    public static TestCgroup create() throws IOException {
        Path p = root().resolve("jbpf-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        Files.createDirectory(p);
        return new TestCgroup(p);
    }

    public Path path() {
        return path;
    }

    /**
     * Runs {@code sh -c script} in this cgroup (the shell moves itself in before running the
     * script) and returns the result.
     */
    public Shell.Result runInside(String script) {
        return Shell.run("sh", "-c", "echo $$ > " + path.resolve("cgroup.procs") + " && " + script);
    }

    @Override
    public void close() throws IOException {
        for (int i = 0; i < 50; i++) {
            try {
                Files.deleteIfExists(path);
                return;
            } catch (IOException e) {
                try {
                    Thread.sleep(100); // a child that has just exited may still be counted
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        Files.deleteIfExists(path);
    }
}
