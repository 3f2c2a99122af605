package io.jbpf.test.internal;

import io.jbpf.core.BpfException;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;

/**
 * Whether this process can use the kernel's {@code bpf()}, and whether it must
 * ({@code JBPF_REQUIRE_KERNEL=1}). The same rule as jbpf-core's kernel tests. Not API.
 */
public final class KernelAccess {
    private static volatile String cached;
    private static volatile boolean probed;

    private KernelAccess() {}

    /** Whether a missing kernel must fail tests instead of skipping them: env {@code JBPF_REQUIRE_KERNEL=1}, or system property {@code jbpf.requireKernel=true}. */
    public static boolean required() {
        return "1".equals(System.getenv("JBPF_REQUIRE_KERNEL")) || Boolean.getBoolean("jbpf.requireKernel");
    }

    /** Why {@code bpf()} cannot be used here, or null when it can. Probed once per JVM. */
    public static String whyUnavailable() {
        if (!probed) {
            synchronized (KernelAccess.class) {
                if (!probed) {
                    cached = probe();
                    probed = true;
                }
            }
        }
        return cached;
    }

    /**
     * For the kit's own tests: behave as if bpf() failed for {@code reason}; {@code null} goes back
     * to probing.
     */
    public static synchronized void simulateUnavailable(String reason) {
        cached = reason;
        probed = reason != null;
    }

    private static String probe() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_probe", MapType.ARRAY, 4, 4, 1))) {
            return null;
        } catch (BpfException e) {
            return reason(e);
        } catch (Throwable t) {
            return "bpf() cannot be called: " + t;
        }
    }

    /** A short reason for a failed bpf() call. */
    public static String reason(BpfException e) {
        return "bpf() fails with " + e.errno() + (e.errno() == io.jbpf.core.Errno.EPERM
                ? " (run as root, or with CAP_BPF and CAP_NET_ADMIN)" : "");
    }
}
