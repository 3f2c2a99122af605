package io.jbpf.netpolicy.policy;

import java.util.Locale;

/** The L4 protocols a port rule names, with their IP protocol numbers; {@link #ANY} is 0. */
public enum Protocol {
    /** Every protocol (a rule without ports). */
    ANY(0),
    /** ICMP. */
    ICMP(1),
    /** TCP. */
    TCP(6),
    /** UDP. */
    UDP(17),
    /** ICMPv6. */
    ICMPV6(58),
    /** SCTP. */
    SCTP(132);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number. */
    public int number() {
        return number;
    }

    /**
     * The protocol named {@code name} (any case: {@code TCP}, {@code udp}, {@code SCTP}, {@code ANY}).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Protocol of(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown protocol '" + name + "' (TCP, UDP, SCTP, ICMP, ICMPv6 or ANY)");
        }
    }
}
