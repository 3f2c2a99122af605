package io.jbpf.netpolicy.datapath;

import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.netpolicy.policy.Direction;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.policy.PolicyKey;
import io.jbpf.netpolicy.policy.Verdict;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy map of every endpoint on a node: one LPM trie whose keys are
 * <pre>
 *   u32 prefixlen          (host order, as every LPM key)
 *   u32 identity   @4      remote identity, 0 for any     (big-endian, like every field below)
 *   u16 endpoint   @8      the local endpoint's id
 *   u8  direction  @10     0 ingress, 1 egress
 *   u8  protocol   @11     0 for any
 *   u16 port       @12     the first port of the block
 * </pre>
 * with prefix lengths 56 (any protocol), 64 (a protocol, every port) and 64 plus the block's bits,
 * and 24-byte values {@code u8 verdict (1 allow, 2 deny); u8 pad[7]; u64 packets; u64 bytes}.
 * {@link PolicyLookup} emits the datapath's two lookups (the remote identity, then identity 0),
 * whose larger verdict wins; no entry is a deny. A direction that is not enforced gets an
 * allow-all entry for identity 0, as Cilium's policy maps do.
 */
public final class PolicyMap {
    /** The key size: prefix length and 12 bytes of fields. */
    public static final int KEY_SIZE = 16;
    /** The value size. */
    public static final int VALUE_SIZE = 24;
    /** The prefix length of a fully specified key (one port of one protocol). */
    public static final int FULL_PREFIX = 80;
    /** Offsets of the key's fields. */
    public static final int IDENTITY = 4, ENDPOINT = 8, DIRECTION = 10, PROTOCOL = 11, PORT = 12;
    /** The verdict codes in the value's first byte. */
    public static final int ALLOW = 1, DENY = 2;

    private PolicyMap() {}

    /** The spec of a policy map for {@code maxEntries} entries of all endpoints. */
    public static MapSpec spec(String name, int maxEntries) {
        return MapSpec.of(name, MapType.LPM_TRIE, KEY_SIZE, VALUE_SIZE, maxEntries).withFlags(MapFlags.NO_PREALLOC);
    }

    /** The entries the datapath needs for {@code policy}: its entries, and allow-all for directions it does not enforce. */
    public static Map<PolicyKey, Verdict> datapathEntries(EndpointPolicy policy) {
        Map<PolicyKey, Verdict> out = new LinkedHashMap<>(policy.entries());
        for (Direction d : Direction.values()) {
            if (!policy.isEnforced(d)) {
                out.putIfAbsent(new PolicyKey(0, d, 0, 0, 0), Verdict.ALLOW);
            }
        }
        return out;
    }

    /** The map key of {@code key} for endpoint {@code endpoint}. */
    public static byte[] key(int endpoint, PolicyKey key) {
        if (endpoint < 0 || endpoint > 0xFFFF) {
            throw new IllegalArgumentException("endpoint id " + endpoint + " is not 0-65535");
        }
        ByteBuffer b = ByteBuffer.allocate(KEY_SIZE).order(ByteOrder.BIG_ENDIAN);
        b.order(ByteOrder.nativeOrder()).putInt(0, key.protocol() == 0 ? 56 : 64 + key.portBits());
        b.order(ByteOrder.BIG_ENDIAN);
        b.putInt(IDENTITY, key.identity());
        b.putShort(ENDPOINT, (short) endpoint);
        b.put(DIRECTION, (byte) key.direction().ordinal());
        b.put(PROTOCOL, (byte) key.protocol());
        b.putShort(PORT, (short) key.port());
        return b.array();
    }

    /** The endpoint id of a map key. */
    public static int endpointOf(byte[] key) {
        return ByteBuffer.wrap(key).getShort(ENDPOINT) & 0xFFFF;
    }

    /** The policy key of a map key. */
    public static PolicyKey decode(byte[] key) {
        ByteBuffer b = ByteBuffer.wrap(key);
        int prefix = b.order(ByteOrder.nativeOrder()).getInt(0);
        b.order(ByteOrder.BIG_ENDIAN);
        int protocol = b.get(PROTOCOL) & 0xFF;
        return new PolicyKey(b.getInt(IDENTITY), Direction.values()[b.get(DIRECTION)], protocol,
                b.getShort(PORT) & 0xFFFF, protocol == 0 ? 0 : prefix - 64);
    }

    private static byte[] value(Verdict v) {
        byte[] out = new byte[VALUE_SIZE];
        out[0] = (byte) (v == Verdict.ALLOW ? ALLOW : DENY);
        return out;
    }

    /** The entries {@code map} holds for {@code endpoint}. */
    public static Map<PolicyKey, Verdict> read(RawMap map, int endpoint) {
        Map<PolicyKey, Verdict> out = new LinkedHashMap<>();
        byte[] value = new byte[map.valueBufferSize()];
        for (byte[] k : keysOf(map, endpoint)) {
            if (map.lookup(k, value)) {
                out.put(decode(k), value[0] == DENY ? Verdict.DENY : Verdict.ALLOW);
            }
        }
        return out;
    }

    /**
     * Makes {@code map}'s entries for {@code endpoint} those of {@code policy}: writes the new and
     * changed entries first, then deletes the ones no longer wanted, so traffic allowed before and
     * after is never dropped in between. Entries of other endpoints are left alone.
     *
     * @return how many entries were written or deleted
     */
    public static int sync(RawMap map, int endpoint, EndpointPolicy policy) {
        Map<PolicyKey, Verdict> want = datapathEntries(policy);
        Map<PolicyKey, Verdict> have = read(map, endpoint);
        int changes = 0;
        for (Map.Entry<PolicyKey, Verdict> e : want.entrySet()) {
            if (have.get(e.getKey()) != e.getValue()) {
                map.update(key(endpoint, e.getKey()), value(e.getValue()), 0);
                changes++;
            }
        }
        for (PolicyKey k : have.keySet()) {
            if (!want.containsKey(k)) {
                map.delete(key(endpoint, k));
                changes++;
            }
        }
        return changes;
    }

    /** Deletes every entry of {@code endpoint}. */
    public static int clear(RawMap map, int endpoint) {
        int n = 0;
        for (byte[] k : keysOf(map, endpoint)) {
            if (map.delete(k)) {
                n++;
            }
        }
        return n;
    }

    private static List<byte[]> keysOf(RawMap map, int endpoint) {
        List<byte[]> out = new ArrayList<>();
        byte[] cur = null;
        byte[] next = new byte[KEY_SIZE];
        while (map.nextKey(cur, next)) {
            if (endpointOf(next) == endpoint) {
                out.add(next.clone());
            }
            cur = next.clone();
        }
        return out;
    }
}
