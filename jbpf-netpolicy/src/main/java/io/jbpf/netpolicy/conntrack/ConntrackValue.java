package io.jbpf.netpolicy.conntrack;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state of a tracked connection, as the {@value ConntrackMap#VALUE_SIZE}-byte value described on
 * {@link ConntrackMap}. "tx" is the direction of the packet that opened the connection, "rx" the
 * replies. Times are whole seconds of {@code CLOCK_MONOTONIC} ({@code bpf_ktime_get_ns() / 10^9}).
 *
 * @param txPackets      packets in the opening direction
 * @param txBytes        their bytes (IPv4 total length)
 * @param rxPackets      packets in the reply direction
 * @param rxBytes        their bytes
 * @param lifetime       the second after which the connection is expired (0–2^32-1)
 * @param created        the second it was created
 * @param txFlagsSeen    the TCP flags of every opening-direction packet, or-ed
 * @param rxFlagsSeen    the TCP flags of every reply, or-ed
 * @param state          {@link ConntrackMap#TX_CLOSING}, {@link ConntrackMap#RX_CLOSING} and
 *                       {@link ConntrackMap#SEEN_NON_SYN} bits
 * @param sourceIdentity the identity the datapath stored when it created the entry
 */
public record ConntrackValue(long txPackets, long txBytes, long rxPackets, long rxBytes, long lifetime, long created,
        int txFlagsSeen, int rxFlagsSeen, int state, int sourceIdentity) {

    /** Whether the connection is expired at {@code nowSeconds} (its lifetime is before it), as the datapath and the GC decide. */
    public boolean expiredAt(long nowSeconds) {
        return lifetime < nowSeconds;
    }

    /** A TCP connection closed in both directions (RST, or FIN each way): its lifetime is no longer refreshed. */
    public boolean closing() {
        return (state & ConntrackMap.BOTH_CLOSING) == ConntrackMap.BOTH_CLOSING;
    }

    /** The value's bytes. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(ConntrackMap.VALUE_SIZE).order(ByteOrder.nativeOrder());
        b.putLong(ConntrackMap.TX_PACKETS, txPackets).putLong(ConntrackMap.TX_BYTES, txBytes)
                .putLong(ConntrackMap.RX_PACKETS, rxPackets).putLong(ConntrackMap.RX_BYTES, rxBytes)
                .putInt(ConntrackMap.LIFETIME, (int) lifetime).putInt(ConntrackMap.CREATED, (int) created)
                .put(ConntrackMap.TX_FLAGS_SEEN, (byte) txFlagsSeen).put(ConntrackMap.RX_FLAGS_SEEN, (byte) rxFlagsSeen)
                .put(ConntrackMap.STATE, (byte) state).putInt(ConntrackMap.SOURCE_IDENTITY, sourceIdentity);
        return b.array();
    }

    /**
     * Reads a value.
     *
     * @throws IllegalArgumentException when the bytes are not {@value ConntrackMap#VALUE_SIZE} long
     */
    public static ConntrackValue decode(byte[] bytes) {
        if (bytes.length != ConntrackMap.VALUE_SIZE) {
            throw new IllegalArgumentException("a conntrack value is " + ConntrackMap.VALUE_SIZE + " bytes, not " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        return new ConntrackValue(b.getLong(ConntrackMap.TX_PACKETS), b.getLong(ConntrackMap.TX_BYTES),
                b.getLong(ConntrackMap.RX_PACKETS), b.getLong(ConntrackMap.RX_BYTES),
                b.getInt(ConntrackMap.LIFETIME) & 0xFFFFFFFFL, b.getInt(ConntrackMap.CREATED) & 0xFFFFFFFFL,
                b.get(ConntrackMap.TX_FLAGS_SEEN) & 0xFF, b.get(ConntrackMap.RX_FLAGS_SEEN) & 0xFF,
                b.get(ConntrackMap.STATE) & 0xFF, b.getInt(ConntrackMap.SOURCE_IDENTITY));
    }

    /** Like a line of Cilium's {@code ct list} after the key, with the seconds left at {@code nowSeconds}. */
    public String describe(long nowSeconds) {
        StringBuilder s = new StringBuilder();
        s.append("expires=").append(lifetime - nowSeconds).append("s")
                .append(" TxPackets=").append(txPackets).append(" TxBytes=").append(txBytes)
                .append(" RxPackets=").append(rxPackets).append(" RxBytes=").append(rxBytes)
                .append(String.format(" TxFlagsSeen=%#04x RxFlagsSeen=%#04x", txFlagsSeen, rxFlagsSeen));
        if ((state & ConntrackMap.TX_CLOSING) != 0) {
            s.append(" TxClosing");
        }
        if ((state & ConntrackMap.RX_CLOSING) != 0) {
            s.append(" RxClosing");
        }
        if ((state & ConntrackMap.SEEN_NON_SYN) != 0) {
            s.append(" SeenNonSyn");
        }
        s.append(" Created=").append(created).append(" SourceSecurityID=").append(Integer.toUnsignedString(sourceIdentity));
        return s.toString();
    }
}
