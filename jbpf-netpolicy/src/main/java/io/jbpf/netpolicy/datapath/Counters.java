package io.jbpf.netpolicy.datapath;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.netpolicy.policy.Direction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The datapath's traffic counters: a per-CPU hash keyed by {@code u32 endpoint; u8 reason;
 * u8 direction; u16 pad} (reason 0 for forwarded packets, else the drop reason) with values
 * {@code u64 packets; u64 bytes} per CPU, summed here.
 */
public final class Counters {
    /** Key and value sizes. */
    public static final int KEY_SIZE = 8, VALUE_SIZE = 16;
    /** How many (endpoint, reason, direction) triples the map holds. */
    public static final int MAX_ENTRIES = 8192;

    private Counters() {}

    /** The map's spec. */
    public static MapSpec spec(String name, int maxEntries) {
        return MapSpec.of(name, MapType.PERCPU_HASH, KEY_SIZE, VALUE_SIZE, maxEntries);
    }

    /**
     * One counter's key.
     *
     * @param endpoint  the local endpoint (0: a source that was no endpoint)
     * @param reason    0 forwarded, else the drop reason
     * @param direction the direction
     */
    public record Key(int endpoint, int reason, Direction direction) {}

    /**
     * Packets and bytes, summed over the CPUs.
     *
     * @param packets packets
     * @param bytes   bytes
     */
    public record Value(long packets, long bytes) {}

    /** Every counter. */
    public static Map<Key, Value> read(RawMap map) {
        Map<Key, Value> out = new LinkedHashMap<>();
        map.forEachEntry((key, v) -> {
            ByteBuffer k = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder());
            ByteBuffer vb = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
            long packets = 0;
            long bytes = 0;
            for (int off = 0; off + VALUE_SIZE <= v.length; off += VALUE_SIZE) {
                packets += vb.getLong(off);
                bytes += vb.getLong(off + 8);
            }
            out.put(new Key(k.getInt(0), k.get(4) & 0xFF, k.get(5) == 0 ? Direction.INGRESS : Direction.EGRESS),
                    new Value(packets, bytes));
        });
        return out;
    }
}
