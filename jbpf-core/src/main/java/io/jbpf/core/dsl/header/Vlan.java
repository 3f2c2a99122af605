package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The outer 802.1Q/802.1ad VLAN tag (TPID 0x8100, 0x88a8 or 0x9100). Fields after the TPID: TCI (priority, DEI, VLAN id), then the EtherType it carries.
 */
public final class Vlan {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.vlan()}). */
    public static final Vlan INSTANCE = new Vlan();

    private Vlan() {}

    /** The packet has this header (see {@link Layer#VLAN}). */
    public Match present() {
        return Match.present(Layer.VLAN);
    }

    /** The tag control information. */
    public Field tci() {
        return Field.of(Layer.VLAN, "vlan.tci", 0, 2);
    }

    /** The priority code point (3 bits). */
    public Field priority() {
        return Field.bits(Layer.VLAN, "vlan.priority", 0, 2, 0x7, 13);
    }

    /** The drop eligible indicator. */
    public Field dei() {
        return Field.bits(Layer.VLAN, "vlan.dei", 0, 2, 0x1, 12);
    }

    /** The VLAN id (12 bits). */
    public Field id() {
        return Field.bits(Layer.VLAN, "vlan.id", 0, 2, 0xfff, 0);
    }

    /** The EtherType of what follows the tag. */
    public Field type() {
        return Field.of(Layer.VLAN, "vlan.type", 2, 2);
    }
}
