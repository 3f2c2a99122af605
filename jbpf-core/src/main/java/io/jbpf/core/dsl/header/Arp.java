package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.AddressField;
import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * ARP for Ethernet and IPv4 (28 bytes).
 */
public final class Arp {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.arp()}). */
    public static final Arp INSTANCE = new Arp();

    private Arp() {}

    /** The packet has this header (see {@link Layer#ARP}). */
    public Match present() {
        return Match.present(Layer.ARP);
    }

    /** The hardware type (1 for Ethernet). */
    public Field hardwareType() {
        return Field.of(Layer.ARP, "arp.hardwareType", 0, 2);
    }

    /** The protocol type (0x0800 for IPv4). */
    public Field protocolType() {
        return Field.of(Layer.ARP, "arp.protocolType", 2, 2);
    }

    /** The hardware address length. */
    public Field hardwareLength() {
        return Field.of(Layer.ARP, "arp.hardwareLength", 4, 1);
    }

    /** The protocol address length. */
    public Field protocolLength() {
        return Field.of(Layer.ARP, "arp.protocolLength", 5, 1);
    }

    /** The operation: 1 request, 2 reply. */
    public Field operation() {
        return Field.of(Layer.ARP, "arp.operation", 6, 2);
    }

    /** The sender hardware address. */
    public AddressField senderMac() {
        return new AddressField(Layer.ARP, "arp.senderMac", 8, 6);
    }

    /** The sender protocol address. */
    public AddressField senderIp() {
        return new AddressField(Layer.ARP, "arp.senderIp", 14, 4);
    }

    /** The target hardware address. */
    public AddressField targetMac() {
        return new AddressField(Layer.ARP, "arp.targetMac", 18, 6);
    }

    /** The target protocol address. */
    public AddressField targetIp() {
        return new AddressField(Layer.ARP, "arp.targetIp", 24, 4);
    }
}
