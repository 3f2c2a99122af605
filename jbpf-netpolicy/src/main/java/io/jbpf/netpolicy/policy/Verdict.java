package io.jbpf.netpolicy.policy;

/** What a policy entry says of the traffic it covers. */
public enum Verdict {
    /** Let it through. */
    ALLOW,
    /** Drop it; wins over any allow. */
    DENY
}
