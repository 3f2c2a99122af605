package io.jbpf.core.internal.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** Converts the kernel's boot-time clock (CLOCK_BOOTTIME nanoseconds) to wall-clock time. */
public final class Clocks {
    private Clocks() {}

    /** The wall-clock instant of {@code bootNs} nanoseconds after boot (to the precision of /proc/uptime). */
    public static Instant bootTimeToInstant(long bootNs) {
        double uptime;
        try {
            uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Instant.EPOCH.plusNanos(bootNs);
        }
        Instant boot = Instant.now().minusNanos((long) (uptime * 1e9));
        return boot.plusNanos(bootNs);
    }
}
