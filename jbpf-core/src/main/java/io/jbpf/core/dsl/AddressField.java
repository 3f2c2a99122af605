package io.jbpf.core.dsl;

import java.util.Objects;

/**
 * An address in a header: an IPv4 (4 bytes), IPv6 (16) or MAC (6) address at {@code offset}.
 *
 * @param layer  the header
 * @param name   the name used in messages, e.g. {@code ipv4.src}
 * @param offset the byte offset in the header
 * @param bytes  4, 6 or 16
 */
public record AddressField(Layer layer, String name, int offset, int bytes) {
    public AddressField {
        Objects.requireNonNull(layer, "layer");
        Objects.requireNonNull(name, "name");
        if (bytes != 4 && bytes != 6 && bytes != 16) {
            throw new DslException("address field " + name + " of " + bytes + " bytes");
        }
        if (offset < 0 || offset + bytes > layer.minLength()) {
            throw new DslException("address field " + name + " is outside the " + layer + " header");
        }
    }

    /** The address equals {@code address} (text, e.g. {@code 192.0.2.1} or a MAC). */
    public Match eq(String address) {
        return in(Cidrs.of(address));
    }

    /** The address is in one of the prefixes ({@code "10.0.0.0/8"}, hosts). */
    public Match in(String... prefixes) {
        return in(Cidrs.of(prefixes));
    }

    /** The address is in {@code set}. */
    public Match in(Cidrs set) {
        if (set.addressBytes() != bytes) {
            throw new DslException(name + " is a " + bytes + "-byte address; " + set.prefixes().get(0)
                    + " is not of its family");
        }
        return new Match.InCidrs(this, set);
    }

    @Override
    public String toString() {
        return name;
    }
}
