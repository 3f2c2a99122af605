package io.jbpf.netpolicy.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The names a lab gives to what it creates: every network namespace starts with
 * {@code jbpf-lab-<lab>-}, which is how {@link Lab#down(String)} finds them after a crash.
 * Interface names live inside the lab's namespaces only.
 *
 * @param lab the lab's name
 */
public record LabNames(String lab) {
    /** Common to every lab's namespace names. */
    public static final String PREFIX = "jbpf-lab-";
    /** A node's (and the outside host's) interface on the underlay. */
    public static final String UNDERLAY_IF = "eth0";
    /** A pod's interface. */
    public static final String POD_IF = "eth0";
    /** The device holding a node's router address (one end of a veth pair, as Cilium's cilium_host). */
    public static final String HOST_IF = "jbpf_host";
    /** The other end of {@link #HOST_IF}'s pair (as Cilium's cilium_net). */
    public static final String HOST_PEER_IF = "jbpf_net";
    /** The node side of the health endpoint's veth. */
    public static final String HEALTH_LXC = "lxc_health";
    /** The bridge in the underlay namespace. */
    public static final String BRIDGE = "br0";

    /** @throws IllegalArgumentException when {@code lab} is not a valid lab name */
    public LabNames {
        if (!LabSpec.isValidName(lab)) {
            throw new IllegalArgumentException("'" + lab + "' is not a lab name: 1 to 32 of a-z and 0-9");
        }
    }

    /** {@code jbpf-lab-<lab>-}: the start of every namespace of this lab. */
    public String prefix() {
        return PREFIX + lab + "-";
    }

    public String underlay() {
        return prefix() + "underlay";
    }

    public String outside() {
        return prefix() + "outside";
    }

    public String node(String node) {
        return prefix() + node;
    }

    public String health(String node) {
        return prefix() + node + "-health";
    }

    public String pod(PodSpec pod) {
        return prefix() + "pod-" + pod.namespace() + "-" + pod.name();
    }

    /** The node-side interface of {@code pod}: {@code lxc} and 12 hex digits of a hash of its name. */
    public static String lxc(PodSpec pod) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(pod.qualifiedName().getBytes(StandardCharsets.UTF_8));
            StringBuilder s = new StringBuilder("lxc");
            for (int i = 0; i < 6; i++) {
                s.append(String.format("%02x", h[i]));
            }
            return s.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The underlay namespace's port towards node number {@code index}. */
    public static String underlayPort(int index) {
        return "node" + index;
    }
}
