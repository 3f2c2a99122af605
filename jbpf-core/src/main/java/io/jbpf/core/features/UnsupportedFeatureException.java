package io.jbpf.core.features;

import io.jbpf.core.JbpfException;

/** The running kernel lacks a feature: names the feature and the first mainline kernel that has it. */
public class UnsupportedFeatureException extends JbpfException {
    private static final long serialVersionUID = 1L;

    private final String feature;
    private final String since;

    public UnsupportedFeatureException(String feature, String since) {
        super(feature + " is not supported by this kernel (" + System.getProperty("os.version")
                + "); it needs Linux " + since + " or later");
        this.feature = feature;
        this.since = since;
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
