package io.jbpf.netpolicy.identity;

/** The identities every node knows without allocating them, with Cilium's numbers. */
public enum ReservedIdentity {
    /** The local node (its host namespace and addresses). */
    HOST(1, "host"),
    /** Anything outside the cluster. */
    WORLD(2, "world"),
    /** Endpoints Cilium does not manage. */
    UNMANAGED(3, "unmanaged"),
    /** The health-check endpoints of the nodes. */
    HEALTH(4, "health"),
    /** Endpoints whose identity is not known yet. */
    INIT(5, "init"),
    /** The other nodes of the cluster. */
    REMOTE_NODE(6, "remote-node"),
    /** The Kubernetes API server. */
    KUBE_APISERVER(7, "kube-apiserver"),
    /** Cilium's ingress proxy. */
    INGRESS(8, "ingress");

    private final int id;
    private final String label;

    ReservedIdentity(int id, String label) {
        this.id = id;
        this.label = label;
    }

    /** The numeric identity. */
    public int id() {
        return id;
    }

    /** Its one label, {@code reserved:NAME}. */
    public Labels labels() {
        return Labels.of(Label.reserved(label));
    }

    /** The identity value. */
    public Identity identity() {
        return new Identity(id, labels());
    }

    /** The reserved identity with this number, if any. */
    public static java.util.Optional<ReservedIdentity> ofId(int id) {
        for (ReservedIdentity r : values()) {
            if (r.id == id) {
                return java.util.Optional.of(r);
            }
        }
        return java.util.Optional.empty();
    }
}
