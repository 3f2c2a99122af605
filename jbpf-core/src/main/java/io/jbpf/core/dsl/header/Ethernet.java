package io.jbpf.core.dsl.header;

import io.jbpf.core.dsl.AddressField;
import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.Match;

/**
 * The Ethernet II header: {@code eth.dst}, {@code eth.src}, {@code eth.type} (the outer EtherType, before any VLAN tag).
 */
public final class Ethernet {
    /** The one instance (also {@code io.jbpf.core.dsl.Dsl.eth()}). */
    public static final Ethernet INSTANCE = new Ethernet();

    private Ethernet() {}

    /** The packet has this header (see {@link Layer#ETHERNET}). */
    public Match present() {
        return Match.present(Layer.ETHERNET);
    }

    /** The destination MAC address. */
    public AddressField dst() {
        return new AddressField(Layer.ETHERNET, "eth.dst", 0, 6);
    }

    /** The source MAC address. */
    public AddressField src() {
        return new AddressField(Layer.ETHERNET, "eth.src", 6, 6);
    }

    /** The EtherType right after the addresses (0x8100 for a tagged frame). */
    public Field type() {
        return Field.of(Layer.ETHERNET, "eth.type", 12, 2);
    }
}
