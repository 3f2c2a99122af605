package io.jbpf.test.packet;

import io.jbpf.test.packet.internal.Addresses;
import io.jbpf.test.packet.internal.Checksum;
import java.util.ArrayList;
import java.util.List;

/**
 * An Ethernet II header, with 802.1Q VLAN tags and 802.1ad (QinQ) service tags. The EtherType is
 * that of the layer inside (IPv4, IPv6, ARP) unless {@link #type(int) set}.
 */
public final class EthernetBuilder extends LayerBuilder {
    /** The 802.1Q customer tag TPID. */
    public static final int TPID_8021Q = 0x8100;
    /** The 802.1ad service tag TPID. */
    public static final int TPID_8021AD = 0x88a8;
    /** The EtherType of a frame with no known inner layer: IEEE's "local experimental". */
    public static final int TYPE_EXPERIMENTAL = 0x88b5;

    private final MacAddress source;
    private final MacAddress destination;
    private final List<VlanTag> tags = new ArrayList<>();
    private Integer type;

    EthernetBuilder(MacAddress source, MacAddress destination) {
        super(new Chain(LinkLayer.ETHERNET), null);
        this.source = source;
        this.destination = destination;
    }

    /** Adds an 802.1Q tag with VLAN id {@code vid} (after any tags added before: those are outer). */
    public EthernetBuilder vlan(int vid) {
        return tag(new VlanTag(TPID_8021Q, 0, false, vid));
    }

    /** Adds an 802.1Q tag with VLAN id {@code vid} and priority code point {@code priority}. */
    public EthernetBuilder vlan(int vid, int priority) {
        return tag(new VlanTag(TPID_8021Q, priority, false, vid));
    }

    /** Adds an 802.1ad service tag {@code outerVid} and an 802.1Q customer tag {@code innerVid}. */
    public EthernetBuilder qinq(int outerVid, int innerVid) {
        tag(new VlanTag(TPID_8021AD, 0, false, outerVid));
        return tag(new VlanTag(TPID_8021Q, 0, false, innerVid));
    }

    /** Adds {@code tag} as it is (any TPID). */
    public EthernetBuilder tag(VlanTag tag) {
        tags.add(tag);
        return this;
    }

    /** Sets the (innermost) EtherType instead of deriving it from the inner layer. */
    public EthernetBuilder type(int etherType) {
        checkRange("EtherType", etherType, 0xffff);
        this.type = etherType;
        return this;
    }

    /** Carries an IPv4 packet from {@code source} to {@code destination} (dotted quads). */
    public Ipv4Builder ipv4(String source, String destination) {
        return new Ipv4Builder(chain, this, Addresses.ipv4(source), Addresses.ipv4(destination));
    }

    /** Carries an IPv6 packet from {@code source} to {@code destination}. */
    public Ipv6Builder ipv6(String source, String destination) {
        return new Ipv6Builder(chain, this, Addresses.ipv6(source), Addresses.ipv6(destination));
    }

    /**
     * Carries an ARP request "who has {@code targetIp}? tell {@code senderIp}" from this frame's
     * source MAC (target MAC zero).
     */
    public ArpBuilder arpRequest(String senderIp, String targetIp) {
        return new ArpBuilder(chain, this, ArpBuilder.REQUEST, source, Addresses.ipv4(senderIp), MacAddress.ZERO,
                Addresses.ipv4(targetIp));
    }

    /**
     * Carries an ARP reply "{@code senderIp} is at this frame's source MAC", to {@code targetIp} at
     * this frame's destination MAC.
     */
    public ArpBuilder arpReply(String senderIp, String targetIp) {
        return new ArpBuilder(chain, this, ArpBuilder.REPLY, source, Addresses.ipv4(senderIp), destination,
                Addresses.ipv4(targetIp));
    }

    /** Sets the bytes after the Ethernet header (when no inner layer is added). */
    public EthernetBuilder payload(byte[] payload) {
        setPayload(payload);
        return this;
    }

    @Override
    byte[] encode() {
        byte[] inner = inner();
        int etherType;
        if (type != null) {
            etherType = type;
        } else if (child instanceof Ipv4Builder) {
            etherType = 0x0800;
        } else if (child instanceof Ipv6Builder) {
            etherType = 0x86dd;
        } else if (child instanceof ArpBuilder) {
            etherType = 0x0806;
        } else {
            etherType = TYPE_EXPERIMENTAL;
        }
        byte[] h = new byte[14 + 4 * tags.size()];
        System.arraycopy(destination.bytes(), 0, h, 0, 6);
        System.arraycopy(source.bytes(), 0, h, 6, 6);
        int off = 12;
        for (VlanTag t : tags) {
            Checksum.put16(h, off, t.tpid());
            Checksum.put16(h, off + 2, t.tci());
            off += 4;
        }
        Checksum.put16(h, off, etherType);
        return concat(h, inner);
    }

    MacAddress source() {
        return source;
    }

    @Override
    String name() {
        return "Ethernet";
    }
}
