package io.jbpf.core.link.internal;

import io.jbpf.core.JbpfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where tracefs is mounted. */
public final class Tracefs {
    /** Where tracefs is mounted by convention. */
    public static final String DEFAULT_ROOT = "/sys/kernel/tracing";

    private Tracefs() {}

    /** The tracefs root: a tracefs mount, or {@code tracing/} on a debugfs mount. */
    public static Path root() {
        Path found = find();
        if (found == null) {
            throw new JbpfException("tracefs is not mounted (tracepoints need it); mount it with: "
                    + "mount -t tracefs nodev " + DEFAULT_ROOT);
        }
        return found;
    }

    private static Path find() {
        try {
            Path debugfs = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 3) {
                    continue;
                }
                if (f[2].equals("tracefs")) {
                    return Path.of(f[1].replace("\\040", " "));
                }
                if (f[2].equals("debugfs") && debugfs == null) {
                    debugfs = Path.of(f[1].replace("\\040", " "), "tracing");
                }
            }
            return debugfs != null && Files.isDirectory(debugfs.resolve("events")) ? debugfs : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Mounts tracefs at {@link #DEFAULT_ROOT} when it is mounted nowhere (needs root). */
    public static void ensureMounted() {
        if (find() != null) {
            return;
        }
        try {
            Process p = new ProcessBuilder("mount", "-t", "tracefs", "nodev", DEFAULT_ROOT).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new JbpfException("tracefs is not mounted and mounting it at " + DEFAULT_ROOT + " failed: " + out);
            }
        } catch (IOException e) {
            throw new JbpfException("tracefs is not mounted and mount(8) could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JbpfException("interrupted while mounting tracefs", e);
        }
    }
}
