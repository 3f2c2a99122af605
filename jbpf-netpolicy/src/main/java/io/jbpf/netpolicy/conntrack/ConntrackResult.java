package io.jbpf.netpolicy.conntrack;

/**
 * What connection tracking says about a packet, with the code {@link ConntrackStep#lookup} leaves in
 * its result register (the numbers of Cilium's {@code CT_NEW}, {@code CT_ESTABLISHED},
 * {@code CT_REPLY} and {@code CT_RELATED}).
 */
public enum ConntrackResult {
    /** No live connection: the packet opens one, and policy must judge it. */
    NEW(0),
    /** A packet of a tracked connection in the direction of the packet that opened it. */
    ESTABLISHED(1),
    /** A packet of a tracked connection in the reverse direction: a reply. */
    REPLY(2),
    /** An ICMP error (destination unreachable, time exceeded, parameter problem) quoting a packet of a tracked connection. */
    RELATED(3);

    private final int code;

    ConntrackResult(int code) {
        this.code = code;
    }

    /** The code in the step's result register. */
    public int code() {
        return code;
    }

    /**
     * The result of a code.
     *
     * @throws IllegalArgumentException for a code that is not 0–3
     */
    public static ConntrackResult of(int code) {
        for (ConntrackResult r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        throw new IllegalArgumentException("conntrack result code " + code + " is not 0-3");
    }
}
