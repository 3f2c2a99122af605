package io.jbpf.core.features;

import io.jbpf.core.JbpfException;

/** The running kernel lacks a feature: names the feature and the first mainline kernel that has it. */
public class UnsupportedFeatureException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final String feature;
    private final String since;

    public UnsupportedFeatureException(String feature, String since) {
        super(message(feature, since, System.getProperty("os.version")));
        this.feature = feature;
        this.since = since;
    }

    /** Says "needs Linux X" only when this kernel is older than X; a newer one was built or set up without it. */
    static String message(String feature, String since, String running) {
        if (compareVersions(running, since) >= 0) {
            return feature + " is not available in this kernel (" + running + "), although Linux " + since
                    + " and later have it: the kernel was built or configured without it";
        }
        return feature + " is not supported by this kernel (" + running + "); it needs Linux " + since + " or later";
    }

    /** Compares the leading numeric parts of two kernel versions ({@code 6.18.44-fc} vs {@code 5.8}). */
    static int compareVersions(String a, String b) {
        String[] x = a.split("[^0-9]+");
        String[] y = b.split("[^0-9]+");
        for (int i = 0; i < Math.min(3, Math.max(x.length, y.length)); i++) {
            int p = i < x.length && !x[i].isEmpty() ? Integer.parseInt(x[i]) : 0;
            int q = i < y.length && !y[i].isEmpty() ? Integer.parseInt(y[i]) : 0;
            if (p != q) {
                return Integer.compare(p, q);
            }
        }
        return 0;
    }

    public UnsupportedFeatureException(String feature, String since, Throwable cause) {
        this(feature, since);
        initCause(cause);
    }

    /** The missing feature, e.g. {@code "program type XDP"}. */
    public String feature() {
        return feature;
    }

    /** The first mainline kernel version with the feature. */
    public String since() {
        return since;
    }
}
