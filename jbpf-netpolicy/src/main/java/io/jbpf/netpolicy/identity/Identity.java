package io.jbpf.netpolicy.identity;

import java.util.Objects;

/**
 * A numeric security identity and the labels it stands for. The datapath knows only the number
 * (the ipcache maps addresses to it, the policy map is keyed by it); the agent keeps the labels.
 *
 * @param id     the number: 1 to 255 reserved, {@value #MIN_CLUSTER} up for cluster identities
 *               (pods), {@value #MIN_LOCAL} up for node-local ones (CIDRs)
 * @param labels what it stands for
 */
public record Identity(int id, Labels labels) {
    /** The first identity allocated to a set of pod labels, as in Cilium. */
    public static final int MIN_CLUSTER = 256;
    /** The last cluster identity (Cilium's 16-bit cluster-local space). */
    public static final int MAX_CLUSTER = 65535;
    /** The first node-local identity (Cilium's local scope, 1 &lt;&lt; 24), used for CIDRs. */
    public static final int MIN_LOCAL = 1 << 24;

    /** @throws IllegalArgumentException for identity 0, which means "any" in the policy map */
    public Identity {
        Objects.requireNonNull(labels, "labels");
        if (id <= 0) {
            throw new IllegalArgumentException("identity " + id + " is not a valid identity (1 and up; 0 means any)");
        }
    }

    /** Whether this is one of the reserved identities (1 to 255). */
    public boolean isReserved() {
        return id < MIN_CLUSTER;
    }

    /** Whether this is a node-local (CIDR) identity. */
    public boolean isLocal() {
        return id >= MIN_LOCAL;
    }
}
