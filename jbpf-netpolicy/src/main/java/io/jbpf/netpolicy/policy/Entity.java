package io.jbpf.netpolicy.policy;

import java.util.Locale;

/** Cilium's policy entities: named groups of identities ({@code fromEntities}/{@code toEntities}). */
public enum Entity {
    /** Everything outside the cluster: the world identity and every CIDR identity. */
    WORLD,
    /** Everything inside the cluster: every pod, the nodes, health and init endpoints. */
    CLUSTER,
    /** The local node. */
    HOST,
    /** The other nodes. */
    REMOTE_NODE,
    /** The health endpoints. */
    HEALTH,
    /** Endpoints whose identity is not resolved yet. */
    INIT,
    /** The Kubernetes API server. */
    KUBE_APISERVER,
    /** Everything. */
    ALL;

    /**
     * The entity as Cilium spells it ({@code world}, {@code remote-node}, {@code kube-apiserver}, …).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Entity of(String name) {
        for (Entity e : values()) {
            if (e.yamlName().equals(name.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown entity '" + name
                + "' (world, cluster, host, remote-node, health, init, kube-apiserver or all)");
    }

    /** The name in YAML. */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
