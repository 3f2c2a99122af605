package io.jbpf.netpolicy.conntrack;

/**
 * What one {@link ConntrackMap#gc} pass did.
 *
 * @param scanned the entries it read
 * @param deleted the expired ones it deleted
 */
public record GcResult(int scanned, int deleted) {
    /** The entries left alive. */
    public int alive() {
        return scanned - deleted;
    }
}
