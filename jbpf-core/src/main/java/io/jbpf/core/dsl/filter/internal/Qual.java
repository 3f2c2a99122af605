package io.jbpf.core.dsl.filter.internal;

/**
 * The qualifiers in effect for an id: protocol, direction and address type, as libpcap's
 * {@code struct qual}. A null field is libpcap's {@code Q_UNDEF} (no qualifier may be inherited).
 */
public record Qual(Proto proto, Dir dir, Addr addr) {
    /** The qualifiers after a term that gives none to inherit ({@code tcp}, a comparison, ...). */
    public static final Qual NONE = new Qual(null, null, null);

    /** True if this is {@link #NONE}. */
    public boolean undefined() {
        return proto == null;
    }

    /** Protocol qualifiers (libpcap's {@code Q_*} protocols). */
    public enum Proto {
        DEFAULT, LINK, IP, ARP, RARP, SCTP, TCP, UDP, ICMP, IGMP, IGRP, PIM, VRRP, CARP, IPV6, ICMPV6, AH, ESP,
        ATALK, AARP, DECNET, LAT, SCA, MOPRC, MOPDL, ISO, ESIS, ISIS, L1, L2, IIH, LSP, SNP, CSNP, PSNP, CLNP,
        STP, IPX, NETBEUI, RADIO;

        /** The keyword as written in an expression. */
        public String keyword() {
            switch (this) {
                case LINK:
                    return "ether";
                case IPV6:
                    return "ip6";
                case ICMPV6:
                    return "icmp6";
                default:
                    return name().toLowerCase(java.util.Locale.ROOT);
            }
        }

        /** The protocol of a keyword, or null if it is not a protocol keyword. */
        static Proto ofKeyword(String kw) {
            switch (kw) {
                case "link":
                    return LINK;
                case "ip6":
                    return IPV6;
                case "icmp6":
                    return ICMPV6;
                case "dst": case "src": case "host": case "net": case "port": case "portrange": case "proto":
                case "default":
                    return null;
                default:
                    for (Proto p : values()) {
                        if (p != DEFAULT && p.name().toLowerCase(java.util.Locale.ROOT).equals(kw)) {
                            return p;
                        }
                    }
                    return null;
            }
        }
    }

    /** Direction qualifiers. */
    public enum Dir {
        DEFAULT, SRC, DST, OR, AND
    }

    /** Address-type qualifiers. */
    public enum Addr {
        DEFAULT, HOST, NET, PORT, PORTRANGE, PROTO, PROTOCHAIN, GATEWAY
    }
}
