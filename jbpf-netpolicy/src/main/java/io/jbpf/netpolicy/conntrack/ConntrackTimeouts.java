package io.jbpf.netpolicy.conntrack;

/**
 * How long, in seconds, a connection lives after its last packet (the values of Cilium's
 * {@code CT_CONNECTION_LIFETIME_TCP}, {@code CT_SYN_TIMEOUT}, {@code CT_CLOSE_TIMEOUT} and
 * {@code CT_CONNECTION_LIFETIME_NONTCP} by default).
 *
 * @param tcpEstablished a TCP connection once a packet without SYN was seen
 * @param tcpSyn         a TCP connection while only SYN (and SYN-ACK) packets were seen
 * @param tcpClose       a TCP connection after a RST, or after FINs in both directions
 * @param other          UDP, ICMP echo and other protocols
 */
public record ConntrackTimeouts(int tcpEstablished, int tcpSyn, int tcpClose, int other) {
    /** 21600 s established, 60 s SYN, 10 s closing, 60 s for the rest. */
    public static final ConntrackTimeouts DEFAULTS = new ConntrackTimeouts(21600, 60, 10, 60);

    /** The largest timeout: the emitted code adds it to a 32-bit count of seconds as an immediate. */
    public static final int MAX = 1 << 30;

    public ConntrackTimeouts {
        check("tcpEstablished", tcpEstablished);
        check("tcpSyn", tcpSyn);
        check("tcpClose", tcpClose);
        check("other", other);
    }

    private static void check(String name, int seconds) {
        if (seconds < 1 || seconds > MAX) {
            throw new IllegalArgumentException("conntrack timeout " + name + " = " + seconds + " s is not 1.." + MAX);
        }
    }
}
