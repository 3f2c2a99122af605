package io.jbpf.test.packet;

/**
 * One layer of a packet under construction; each layer's builder adds the next layer inside it
 * ({@code ether(..).vlan(100).ipv4(..).tcp(..)}) and any of them finishes the whole packet with
 * {@link #build()}. Lengths, checksums, EtherTypes and next-protocol numbers are filled in unless
 * set explicitly (to build malformed packets on purpose). Builders are mutable and not
 * thread-safe; the {@link Packet} they build is an immutable value.
 */
public abstract sealed class LayerBuilder
        permits EthernetBuilder, ArpBuilder, Ipv4Builder, Ipv6Builder, TcpBuilder, UdpBuilder, IcmpBuilder {
    /** The state shared by all the layers of one packet. */
    static final class Chain {
        final LinkLayer link;
        LayerBuilder root;
        byte[] payload = new byte[0];

        Chain(LinkLayer link) {
            this.link = link;
        }
    }

    final Chain chain;
    final LayerBuilder parent;
    LayerBuilder child;

    LayerBuilder(Chain chain, LayerBuilder parent) {
        this.chain = chain;
        this.parent = parent;
        if (parent == null) {
            chain.root = this;
        } else {
            if (parent.child != null) {
                throw new IllegalStateException(parent.name() + " already carries " + parent.child.name());
            }
            parent.child = this;
        }
    }

    /** The whole packet: every layer of this builder's chain, outermost first, then the payload. */
    public final Packet build() {
        return new Packet(chain.link, chain.root.encode());
    }

    /** The bytes of {@link #build()}. */
    public final byte[] bytes() {
        return chain.root.encode();
    }

    /** Sets the bytes after the innermost header. */
    final void setPayload(byte[] payload) {
        chain.payload = payload.clone();
    }

    /** What this layer carries, encoded. */
    final byte[] inner() {
        return child == null ? chain.payload.clone() : child.encode();
    }

    /** This layer and all inside it, encoded. */
    abstract byte[] encode();

    /** The IP protocol number of this layer, for the IP layer around it; -1 if it has none. */
    int ipProtocol() {
        return -1;
    }

    /** The unfolded pseudo-header sum for an upper layer of {@code protocol} and {@code length}. */
    long pseudoHeader(int protocol, int length) {
        throw new IllegalStateException(name() + " cannot carry a layer with a pseudo-header checksum");
    }

    /** The layer's name for messages. */
    abstract String name();

    static void checkRange(String what, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(what + " must be in [0, " + max + "]: " + value);
        }
    }

    static byte[] concat(byte[] header, byte[] inner) {
        byte[] out = new byte[header.length + inner.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(inner, 0, out, header.length, inner.length);
        return out;
    }
}
