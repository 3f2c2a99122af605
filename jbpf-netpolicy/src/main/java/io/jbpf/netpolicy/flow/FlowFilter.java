package io.jbpf.netpolicy.flow;

import java.util.Locale;

/**
 * Which flows to show, as {@code hubble observe} filters them; every given criterion must hold.
 *
 * @param pod       a pod ({@code namespace/name} or a name) at either end, or null
 * @param namespace a Kubernetes namespace at either end, or null
 * @param verdict   {@code DROPPED} or {@code FORWARDED}, or null
 * @param protocol  {@code tcp}, {@code udp}, {@code icmp}, {@code sctp}, or null
 * @param port      a port at either end, or 0
 * @param identity  an identity at either end, or 0
 */
public record FlowFilter(String pod, String namespace, String verdict, String protocol, int port, int identity) {
    /** Everything. */
    public static final FlowFilter ALL = new FlowFilter(null, null, null, null, 0, 0);

    /** Whether {@code f} passes. */
    public boolean test(Flow f) {
        if (pod != null && !isPod(f.source()) && !isPod(f.destination())) {
            return false;
        }
        if (namespace != null && !f.source().startsWith(namespace + "/") && !f.destination().startsWith(namespace + "/")) {
            return false;
        }
        if (verdict != null && !f.verdict().equalsIgnoreCase(verdict)) {
            return false;
        }
        if (protocol != null && !f.protocolName().toLowerCase(Locale.ROOT).startsWith(protocol.toLowerCase(Locale.ROOT))) {
            return false;
        }
        if (port != 0 && f.sourcePort() != port && f.destinationPort() != port) {
            return false;
        }
        return identity == 0 || f.sourceIdentity() == identity || f.destinationIdentity() == identity;
    }

    private boolean isPod(String end) {
        return pod.contains("/") ? end.equals(pod) : end.endsWith("/" + pod);
    }
}
