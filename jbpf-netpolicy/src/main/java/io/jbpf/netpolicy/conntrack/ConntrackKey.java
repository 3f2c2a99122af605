package io.jbpf.netpolicy.conntrack;

import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.policy.Direction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The key of a tracked connection: the 5-tuple of the packet that opened it and the direction in
 * which the hook that judged it saw that packet. Its {@value ConntrackMap#KEY_SIZE} bytes are
 * described on {@link ConntrackMap}. ICMP echo uses the identifier as a port: a request has
 * source port 0 and the identifier as destination port, a reply the reverse, so that a reply's
 * {@link #reversed()} key is its request's.
 *
 * @param source          the opening packet's source address
 * @param destination     its destination address
 * @param sourcePort      its source port (0–65535)
 * @param destinationPort its destination port (0–65535)
 * @param protocol        the IP protocol (0–255)
 * @param direction       the direction the opening packet had at its hook
 */
public record ConntrackKey(Ipv4 source, Ipv4 destination, int sourcePort, int destinationPort, int protocol,
        Direction direction) {

    public ConntrackKey {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(direction, "direction");
        if (sourcePort < 0 || sourcePort > 0xFFFF || destinationPort < 0 || destinationPort > 0xFFFF) {
            throw new IllegalArgumentException("ports " + sourcePort + ", " + destinationPort + " must be 0-65535");
        }
        if (protocol < 0 || protocol > 0xFF) {
            throw new IllegalArgumentException("protocol " + protocol + " is not 0-255");
        }
    }

    /** The key a packet of the reverse direction (a reply) is looked up with. */
    public ConntrackKey reversed() {
        return new ConntrackKey(destination, source, destinationPort, sourcePort, protocol,
                direction == Direction.INGRESS ? Direction.EGRESS : Direction.INGRESS);
    }

    /** The key's bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(ConntrackMap.KEY_SIZE).order(ByteOrder.BIG_ENDIAN);
        b.putInt(ConntrackMap.SADDR, source.bits()).putInt(ConntrackMap.DADDR, destination.bits())
                .putShort(ConntrackMap.SPORT, (short) sourcePort).putShort(ConntrackMap.DPORT, (short) destinationPort)
                .put(ConntrackMap.PROTOCOL, (byte) protocol).put(ConntrackMap.DIRECTION, (byte) direction.ordinal());
        return b.array();
    }

    /**
     * Reads a key.
     *
     * @throws IllegalArgumentException when the bytes are not {@value ConntrackMap#KEY_SIZE} long or
     *                                  the direction byte is not 0 or 1
     */
    public static ConntrackKey decode(byte[] bytes) {
        if (bytes.length != ConntrackMap.KEY_SIZE) {
            throw new IllegalArgumentException("a conntrack key is " + ConntrackMap.KEY_SIZE + " bytes, not " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int dir = b.get(ConntrackMap.DIRECTION) & 0xFF;
        if (dir > 1) {
            throw new IllegalArgumentException("conntrack key direction byte " + dir + " is not 0 (ingress) or 1 (egress)");
        }
        return new ConntrackKey(new Ipv4(b.getInt(ConntrackMap.SADDR)), new Ipv4(b.getInt(ConntrackMap.DADDR)),
                b.getShort(ConntrackMap.SPORT) & 0xFFFF, b.getShort(ConntrackMap.DPORT) & 0xFFFF,
                b.get(ConntrackMap.PROTOCOL) & 0xFF, Direction.values()[dir]);
    }

    /** Like Cilium's {@code ct list}: {@code TCP OUT 10.0.0.1:40000 -> 10.0.0.2:80}. */
    @Override
    public String toString() {
        String proto = switch (protocol) {
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 1 -> "ICMP";
            case 132 -> "SCTP";
            default -> "proto " + protocol;
        };
        return proto + (direction == Direction.EGRESS ? " OUT " : " IN ") + source + ":" + sourcePort + " -> "
                + destination + ":" + destinationPort;
    }
}
