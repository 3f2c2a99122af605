package io.jbpf.core.dsl.nat;

/** The IPv4 protocols the NAT and load-balancing blocks translate, with their protocol numbers. */
public enum Protocol {
    /** ICMP: echo request and reply, the identifier serving as the port. */
    ICMP(1),
    /** TCP. */
    TCP(6),
    /** UDP. */
    UDP(17);

    private final int number;

    Protocol(int number) {
        this.number = number;
    }

    /** The IP protocol number. */
    public int number() {
        return number;
    }

    /** The protocol of number {@code n}; an {@link IllegalArgumentException} for others. */
    public static Protocol of(int n) {
        for (Protocol p : values()) {
            if (p.number == n) {
                return p;
            }
        }
        throw new IllegalArgumentException("IP protocol " + n + " is not one NAT translates (ICMP, TCP, UDP)");
    }
}
