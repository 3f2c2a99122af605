package io.jbpf.netpolicy.service;

/**
 * A Service's {@code sessionAffinity}: with {@code ClientIP} a client address keeps its backend for
 * {@code timeoutSeconds} after its last connection.
 *
 * @param clientIp whether affinity is {@code ClientIP} (otherwise {@code None})
 * @param timeoutSeconds the affinity timeout, 1–86400 ({@value #DEFAULT_TIMEOUT_SECONDS} by
 *     default, as Kubernetes); 0 when {@code clientIp} is false
 */
public record SessionAffinity(boolean clientIp, int timeoutSeconds) {
    /** Kubernetes' default ClientIP timeout: three hours. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 10800;
    /** Kubernetes' largest ClientIP timeout: one day. */
    public static final int MAX_TIMEOUT_SECONDS = 86400;
    /** {@code sessionAffinity: None}. */
    public static final SessionAffinity NONE = new SessionAffinity(false, 0);

    /** Checks the timeout against the mode. */
    public SessionAffinity {
        if (clientIp && (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS)) {
            throw new IllegalArgumentException("timeoutSeconds " + timeoutSeconds + " is out of range (1-" + MAX_TIMEOUT_SECONDS + ")");
        }
        if (!clientIp && timeoutSeconds != 0) {
            throw new IllegalArgumentException("a timeout needs sessionAffinity ClientIP");
        }
    }

    /** ClientIP affinity with {@code timeoutSeconds}. */
    public static SessionAffinity clientIp(int timeoutSeconds) {
        return new SessionAffinity(true, timeoutSeconds);
    }
}
