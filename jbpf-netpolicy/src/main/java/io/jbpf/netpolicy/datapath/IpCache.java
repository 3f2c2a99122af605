package io.jbpf.netpolicy.datapath;

import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.Cidr;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ipcache: every address or prefix the node knows, with its security identity, as Cilium's
 * {@code cilium_ipcache}. An LPM trie keyed by {@code u32 prefixlen; u32 address} (network order)
 * with values {@code u32 identity; u32 node address (network order, 0 for local or none);
 * u32 flags; u32 pad}. An address no entry covers is the world (identity 2).
 */
public final class IpCache {
    /** Key size. */
    public static final int KEY_SIZE = 8;
    /** Value size. */
    public static final int VALUE_SIZE = 16;
    /** Value offsets. */
    public static final int IDENTITY = 0, NODE = 4, FLAGS = 8;

    private IpCache() {}

    /**
     * One ipcache entry.
     *
     * @param prefix   the IPv4 prefix
     * @param identity its identity
     * @param node     the node that hosts it (its underlay address), or null
     */
    public record Entry(Cidr prefix, int identity, Inet4Address node) {
        /** @throws IllegalArgumentException for an IPv6 prefix (the datapath is IPv4 for now) */
        public Entry {
            if (!prefix.isIpv4()) {
                throw new IllegalArgumentException("the ipcache holds IPv4 prefixes, not " + prefix);
            }
            if (identity <= 0) {
                throw new IllegalArgumentException("identity " + identity + " is not a valid identity");
            }
        }
    }

    /** The spec for {@code maxEntries} prefixes. */
    public static MapSpec spec(String name, int maxEntries) {
        return MapSpec.of(name, MapType.LPM_TRIE, KEY_SIZE, VALUE_SIZE, maxEntries).withFlags(MapFlags.NO_PREALLOC);
    }

    private static byte[] key(Cidr prefix) {
        ByteBuffer k = ByteBuffer.allocate(KEY_SIZE);
        k.order(ByteOrder.nativeOrder()).putInt(0, prefix.prefixLength());
        k.put(4, prefix.address().getAddress());
        return k.array();
    }

    /** Adds or replaces the entry of its prefix. */
    public static void put(RawMap map, Entry e) {
        ByteBuffer v = ByteBuffer.allocate(VALUE_SIZE).order(ByteOrder.nativeOrder());
        v.putInt(IDENTITY, e.identity());
        if (e.node() != null) {
            v.put(NODE, e.node().getAddress());
        }
        map.update(key(e.prefix()), v.array(), 0);
    }

    /** Removes a prefix's entry; false when there was none. */
    public static boolean remove(RawMap map, Cidr prefix) {
        return map.delete(key(prefix));
    }

    /** Every entry, by prefix. */
    public static Map<Cidr, Entry> all(RawMap map) {
        Map<Cidr, Entry> out = new LinkedHashMap<>();
        map.forEachEntry((key, v) -> {
            ByteBuffer k = ByteBuffer.wrap(key);
            int len = k.order(ByteOrder.nativeOrder()).getInt(0);
            byte[] addr = new byte[4];
            k.get(4, addr);
            ByteBuffer val = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
            byte[] node = new byte[4];
            val.get(NODE, node);
            try {
                Cidr c = new Cidr(InetAddress.getByAddress(addr), len);
                boolean none = node[0] == 0 && node[1] == 0 && node[2] == 0 && node[3] == 0;
                out.put(c, new Entry(c, val.getInt(IDENTITY), none ? null : (Inet4Address) InetAddress.getByAddress(node)));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        });
        return out;
    }
}
