package io.jbpf.core.internal.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU counts as the kernel sizes per-CPU data: from {@code /sys/devices/system/cpu/possible}. */
public final class Cpus {
    private Cpus() {}

    private static final class Holder {
        static final int POSSIBLE = count(read("/sys/devices/system/cpu/possible"));
        static final int ONLINE = count(read("/sys/devices/system/cpu/online"));
    }

    /** The number of possible CPUs (the length of per-CPU map values). */
    public static int possible() {
        return Holder.POSSIBLE;
    }

    /** The number of online CPUs. */
    public static int online() {
        return Holder.ONLINE;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    /** Parses a CPU list such as {@code 0-3,5,7-8} into the highest CPU number plus one. */
    static int count(String list) {
        int max = -1;
        for (String part : list.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int hi = Integer.parseInt(dash < 0 ? p : p.substring(dash + 1));
            max = Math.max(max, hi);
        }
        return max + 1;
    }
}
