package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The inner VLAN tag of a QinQ frame. Fields after the TPID: TCI (priority, DEI, VLAN id), then the EtherType it carries.
 */
public final class InnerVlan {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.innerVlan()}). */
    public static final InnerVlan INSTANCE = new InnerVlan();

    private InnerVlan() {}

    /** The packet has this header (see {@link Layer#VLAN_INNER}). */
    public Match present() {
        return Match.present(Layer.VLAN_INNER);
    }

    /** The tag control information. */
    public Field tci() {
        return Field.of(Layer.VLAN_INNER, "innerVlan.tci", 0, 2);
    }

    /** The priority code point (3 bits). */
    public Field priority() {
        return Field.bits(Layer.VLAN_INNER, "innerVlan.priority", 0, 2, 0x7, 13);
    }

    /** The drop eligible indicator. */
    public Field dei() {
        return Field.bits(Layer.VLAN_INNER, "innerVlan.dei", 0, 2, 0x1, 12);
    }

    /** The VLAN id (12 bits). */
    public Field id() {
        return Field.bits(Layer.VLAN_INNER, "innerVlan.id", 0, 2, 0xfff, 0);
    }

    /** The EtherType of what follows the tag. */
    public Field type() {
        return Field.of(Layer.VLAN_INNER, "innerVlan.type", 2, 2);
    }
}
