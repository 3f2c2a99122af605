package io.jbpf.netpolicy.conntrack;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection tracking map of a node: an LRU hash (a full map forgets its least recently used
 * connection instead of failing) from the tuple of the packet that opened a connection to its state.
 * The key, 16 bytes (addresses and ports in network order, as in the packet):
 * <pre>
 *   __be32 saddr      @0    source of the opening packet
 *   __be32 daddr      @4    its destination
 *   __be16 sport      @8    (ICMP echo: request 0, reply the identifier)
 *   __be16 dport      @10   (ICMP echo: request the identifier, reply 0)
 *   u8     protocol   @12
 *   u8     direction  @13   0 ingress, 1 egress: how the hook that judged the opening packet saw it
 *   u16    zero       @14
 * </pre>
 * The same connection between two endpoints of one node has two entries, one per endpoint's hook
 * (egress of the client, ingress of the server), as in Cilium, since each is judged by its own
 * endpoint's policy. A reply is found under the {@linkplain ConntrackKey#reversed() reversed} key:
 * addresses and ports swapped and the direction flipped. The value, 48 bytes (host order):
 * <pre>
 *   u64 tx_packets    @0    packets in the opening direction
 *   u64 tx_bytes      @8    their IPv4 total lengths
 *   u64 rx_packets    @16   packets in the reply direction
 *   u64 rx_bytes      @24
 *   u32 lifetime      @32   expiry: the entry is dead once bpf_ktime_get_ns()/10^9 passes it
 *   u32 created       @36   bpf_ktime_get_ns()/10^9 at creation
 *   u8  tx_flags_seen @40   TCP flags of the opening direction, or-ed
 *   u8  rx_flags_seen @41   TCP flags of the replies, or-ed
 *   u8  state         @42   1 tx closing (FIN sent), 2 rx closing, 4 seen a non-SYN TCP packet
 *   u8  pad           @43
 *   u32 identity      @44   the source identity the datapath stored at creation
 * </pre>
 * The counters are added atomically; lifetimes and flags are plain stores (races between CPUs
 * only make a refresh land twice, as in Cilium). The datapath treats an expired entry as absent;
 * the agent deletes them with {@link #gc}.
 */
public final class ConntrackMap {
    /** The key size. */
    public static final int KEY_SIZE = 16;
    /** The value size. */
    public static final int VALUE_SIZE = 48;
    /** Offsets of the key's fields. */
    public static final int SADDR = 0, DADDR = 4, SPORT = 8, DPORT = 10, PROTOCOL = 12, DIRECTION = 13;
    /** Offsets of the value's fields. */
    public static final int TX_PACKETS = 0, TX_BYTES = 8, RX_PACKETS = 16, RX_BYTES = 24, LIFETIME = 32, CREATED = 36,
            TX_FLAGS_SEEN = 40, RX_FLAGS_SEEN = 41, STATE = 42, SOURCE_IDENTITY = 44;
    /** Bits of the state byte. */
    public static final int TX_CLOSING = 1, RX_CLOSING = 2, BOTH_CLOSING = 3, SEEN_NON_SYN = 4;
    /** The default capacity (Cilium's default for its global TCP table is 512Ki; one lab node needs far fewer). */
    public static final int DEFAULT_ENTRIES = 65536;

    private static final long NANOS = 1_000_000_000L;

    private ConntrackMap() {}

    /** The spec of a conntrack map of {@code maxEntries} connections. */
    public static MapSpec spec(String name, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("conntrack map " + name + " needs at least one entry, not " + maxEntries);
        }
        return MapSpec.of(name, MapType.LRU_HASH, KEY_SIZE, VALUE_SIZE, maxEntries);
    }

    /**
     * Now on the clock the datapath stamps entries with: {@code CLOCK_MONOTONIC} in nanoseconds, what
     * {@code bpf_ktime_get_ns()} returns. The JDK's {@link System#nanoTime()} reads that clock on
     * Linux ({@code clock_gettime(CLOCK_MONOTONIC)}), which {@code ConntrackMapTest} checks against a
     * program's {@code bpf_ktime_get_ns()}.
     */
    public static long kernelNowNanos() {
        return System.nanoTime();
    }

    /** The datapath's seconds of a {@code CLOCK_MONOTONIC} time in nanoseconds. */
    public static long seconds(long monotonicNanos) {
        return Long.divideUnsigned(monotonicNanos, NANOS);
    }

    /** The state of {@code key}, or null when the map has no such entry. */
    public static ConntrackValue lookup(RawMap map, ConntrackKey key) {
        byte[] value = new byte[VALUE_SIZE];
        return map.lookup(key.toBytes(), value) ? ConntrackValue.decode(value) : null;
    }

    /** Writes an entry (for an agent restoring state, or a test). */
    public static void put(RawMap map, ConntrackKey key, ConntrackValue value) {
        map.update(key.toBytes(), value.toBytes(), 0);
    }

    /** Every entry of the map, expired or not, in the map's iteration order (for {@code jbpf bpf ct list}). */
    public static Map<ConntrackKey, ConntrackValue> list(RawMap map) {
        checkSizes(map);
        Map<ConntrackKey, ConntrackValue> out = new LinkedHashMap<>();
        map.forEachEntry((k, v) -> out.put(ConntrackKey.decode(k), ConntrackValue.decode(v)));
        return out;
    }

    /** The entries as lines like Cilium's {@code ct list}, with seconds left counted from {@code nowNanos}. */
    public static List<String> describe(RawMap map, long nowNanos) {
        long now = seconds(nowNanos);
        List<String> out = new ArrayList<>();
        list(map).forEach((k, v) -> out.add(k + " " + v.describe(now)));
        return out;
    }

    /**
     * Deletes the entries expired at {@code nowNanos} ({@code CLOCK_MONOTONIC}, see
     * {@link #kernelNowNanos()}) and only those. One pass reads the whole map (in batches where the
     * kernel has them); each entry it found expired is then taken out with one
     * {@code BPF_MAP_LOOKUP_AND_DELETE_ELEM}, and put back (unless the datapath has already made a
     * new one) when the value taken shows the datapath refreshed it since the pass: one system call
     * per expired entry instead of a lookup and a delete, which matters at thousands of connections
     * a second.
     */
    public static GcResult gc(RawMap map, long nowNanos) {
        checkSizes(map);
        long now = seconds(nowNanos);
        // one pass over the map (in batches where the kernel has them), then only the expired entries one by one
        List<byte[]> expired = new ArrayList<>();
        int scanned = map.forEachEntry((k, v) -> {
            if (lifetime(v) < now) {
                expired.add(k);
            }
        });
        int deleted = 0;
        byte[] value = new byte[map.valueBufferSize()];
        for (byte[] k : expired) {
            if (!map.lookupAndDelete(k, value)) {
                continue;
            }
            if (lifetime(value) < now) {
                deleted++;
            } else {
                try {
                    map.update(k, value, MapFlags.NOEXIST);
                } catch (BpfException e) {
                    if (e.errno() != Errno.EEXIST) {
                        throw e;
                    }
                    // the datapath made the entry again meanwhile: its version wins
                }
            }
        }
        return new GcResult(scanned, deleted);
    }

    /** Deletes every entry (for {@code jbpf bpf ct flush}); returns how many it deleted. */
    public static int clear(RawMap map) {
        checkSizes(map);
        List<byte[]> keys = new ArrayList<>();
        map.forEachEntry((k, v) -> keys.add(k));
        int n = 0;
        for (byte[] k : keys) {
            if (map.delete(k)) {
                n++;
            }
        }
        return n;
    }

    /** The lifetime field of an encoded value. */
    private static long lifetime(byte[] value) {
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt(LIFETIME) & 0xffffffffL;
    }

    private static void checkSizes(RawMap map) {
        MapSpec s = map.spec();
        if (s.keySize() != KEY_SIZE || s.valueSize() != VALUE_SIZE) {
            throw new IllegalArgumentException("map " + s.name() + " has key/value sizes " + s.keySize() + "/"
                    + s.valueSize() + ", not a conntrack map's " + KEY_SIZE + "/" + VALUE_SIZE);
        }
    }
}
