package io.jbpf.core.internal.sys;

import io.jbpf.core.JbpfException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on bpffs paths, so that a pin fails with a message instead of a bare errno. */
public final class Bpffs {
    /** Where bpffs is mounted by convention. */
    public static final String DEFAULT_ROOT = "/sys/fs/bpf";

    private Bpffs() {}

    /**
     * Throws when {@code path}'s directory is not on a mounted bpffs. A path under
     * {@link #DEFAULT_ROOT} where nothing is mounted yet gets bpffs mounted first, when we are root.
     */
    static void checkPath(String path) {
        Path parent = Path.of(path).toAbsolutePath().getParent();
        if (parent != null && parent.startsWith(DEFAULT_ROOT) && !isBpffs(Path.of(DEFAULT_ROOT))
                && Sys.get().geteuid() == 0) {
            ensureMounted();
        }
        if (parent == null || !Files.isDirectory(parent)) {
            throw new JbpfException("cannot pin at " + path + ": directory " + parent + " does not exist");
        }
        if (!isBpffs(parent)) {
            throw new JbpfException("cannot pin at " + path + ": " + parent + " is not on a bpffs mount"
                    + " (mount one with: mount -t bpf bpf " + DEFAULT_ROOT + ")");
        }
    }

    /** Whether {@code dir} lies on a mounted bpffs, per /proc/self/mountinfo. */
    public static boolean isBpffs(Path dir) {
        try {
            Path real = dir.toRealPath();
            String best = null;
            String bestType = null;
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                int sep = line.indexOf(" - ");
                if (f.length < 5 || sep < 0) {
                    continue;
                }
                String mountPoint = f[4].replace("\\040", " ");
                String type = line.substring(sep + 3).split(" ")[0];
                if (real.startsWith(mountPoint) && (best == null || mountPoint.length() >= best.length())) {
                    best = mountPoint;
                    bestType = type;
                }
            }
            return "bpf".equals(bestType);
        } catch (IOException e) {
            return false;
        }
    }

    /** Mounts bpffs at {@link #DEFAULT_ROOT} when it is not mounted there (needs root). */
    public static void ensureMounted() {
        Path root = Path.of(DEFAULT_ROOT);
        if (isBpffs(root)) {
            return;
        }
        try {
            Process p = new ProcessBuilder("mount", "-t", "bpf", "bpf", DEFAULT_ROOT).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (p.waitFor() != 0) {
                throw new JbpfException("bpffs is not mounted at " + DEFAULT_ROOT + " and mounting it failed: " + out);
            }
        } catch (IOException e) {
            throw new JbpfException("bpffs is not mounted at " + DEFAULT_ROOT + " and mount(8) could not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JbpfException("interrupted while mounting bpffs", e);
        }
    }
}
