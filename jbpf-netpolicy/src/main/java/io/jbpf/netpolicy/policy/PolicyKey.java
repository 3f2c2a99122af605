package io.jbpf.netpolicy.policy;

import java.util.Objects;

/**
 * The key of one policy map entry: a remote identity (0 for any), a direction, a protocol (0 for
 * any) and a block of ports given by its first port and how many leading bits of the 16-bit port
 * count (16 for one port, 0 for every port). Port ranges become several blocks, as Cilium's
 * port-mask entries do; blocks of one identity, direction and protocol are nested or disjoint.
 *
 * @param identity  the remote identity, 0 for any
 * @param direction ingress or egress
 * @param protocol  the IP protocol number, 0 for any (then the port block must be all ports)
 * @param port      the block's first port
 * @param portBits  the block's prefix length in bits, 0 to 16
 */
public record PolicyKey(int identity, Direction direction, int protocol, int port, int portBits) {
    /** @throws IllegalArgumentException for a malformed block */
    public PolicyKey {
        Objects.requireNonNull(direction, "direction");
        if (identity < 0) {
            throw new IllegalArgumentException("identity " + identity + " is negative");
        }
        if (protocol < 0 || protocol > 255) {
            throw new IllegalArgumentException("protocol " + protocol + " is not 0-255");
        }
        if (portBits < 0 || portBits > 16 || port < 0 || port > 65535) {
            throw new IllegalArgumentException("port block " + port + "/" + portBits + " is malformed");
        }
        if (protocol == 0 && portBits != 0) {
            throw new IllegalArgumentException("a key for any protocol covers every port");
        }
        int mask = portBits == 0 ? 0 : (0xFFFF << (16 - portBits)) & 0xFFFF;
        if ((port & ~mask) != 0) {
            throw new IllegalArgumentException("port block " + port + "/" + portBits + " has bits set past its prefix");
        }
    }

    /** The last port of the block. */
    public int endPort() {
        return port | (0xFFFF >>> portBits);
    }

    /**
     * The prefix length of this key in the datapath's LPM trie laid out as {identity 32 bits,
     * direction 8, protocol 8, port 16}: 40 for any protocol, 48 plus the port bits otherwise.
     */
    public int prefixLength() {
        return protocol == 0 ? 40 : 48 + portBits;
    }

    /** Whether this key's block covers (contains or equals) {@code other}'s, for the same identity and direction. */
    public boolean covers(PolicyKey other) {
        if (identity != other.identity || direction != other.direction) {
            return false;
        }
        if (protocol == 0) {
            return true;
        }
        return protocol == other.protocol && portBits <= other.portBits && port <= other.port
                && other.endPort() <= endPort();
    }

    /** Whether this key matches a packet of {@code protocol} to {@code port} (identity and direction aside). */
    public boolean matches(int protocol, int port) {
        return this.protocol == 0 || (this.protocol == protocol && port >= this.port && port <= endPort());
    }
}
