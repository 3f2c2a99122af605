package io.jbpf.core.link.internal;

/** The running kernel's version, to tell "too old" from "refused" when the kernel says EINVAL. */
public final class KernelVersion {
    private static final int[] CURRENT = parse(System.getProperty("os.version", "0.0"));

    private KernelVersion() {}

    static int[] parse(String v) {
        String[] parts = v.split("[^0-9]+", -1);
        int[] out = new int[2];
        for (int i = 0; i < 2 && i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                out[i] = 0;
            }
        }
        return out;
    }

    /** Whether the running kernel is at least {@code version} ("5.9"). */
    public static boolean atLeast(String version) {
        int[] want = parse(version);
        return CURRENT[0] != want[0] ? CURRENT[0] > want[0] : CURRENT[1] >= want[1];
    }
}
