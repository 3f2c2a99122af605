package io.jbpf.test.packet;

import io.jbpf.core.pcap.PcapHeader;

/** What a packet's bytes start with. */
public enum LinkLayer {
    /** An Ethernet header (possibly with VLAN tags). */
    ETHERNET(PcapHeader.LINKTYPE_ETHERNET),
    /** An IPv4 or IPv6 header, no link-layer header (the version nibble tells which). */
    RAW_IP(PcapHeader.LINKTYPE_RAW);

    private final int pcapLinkType;

    LinkLayer(int pcapLinkType) {
        this.pcapLinkType = pcapLinkType;
    }

    /** The pcap {@code LINKTYPE_*} number of this link layer. */
    public int pcapLinkType() {
        return pcapLinkType;
    }

    /** The link layer of a pcap {@code LINKTYPE_*}; throws for those not supported here. */
    public static LinkLayer ofPcapLinkType(int linkType) {
        for (LinkLayer l : values()) {
            if (l.pcapLinkType == linkType) {
                return l;
            }
        }
        throw new IllegalArgumentException("unsupported pcap link type " + linkType + " (only Ethernet (1) and raw IP (101))");
    }
}
