package io.jbpf.netpolicy.datapath;

import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.nat.MasqConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The destinations pod traffic reaches with the pod's address (Cilium's
 * {@code cilium_ipmasq_v4}): an LPM trie keyed by {@code u32 prefixlen; u32 address} (network
 * order) with a one-byte value. The masquerade program looks a destination up here and leaves the
 * packet alone on a hit.
 */
public final class NonMasqueradeMap {
    /** Key size. */
    public static final int KEY_SIZE = 8;
    /** Value size. */
    public static final int VALUE_SIZE = 1;
    /** The most CIDRs one config may list. */
    public static final int MAX_ENTRIES = 16384;

    private NonMasqueradeMap() {}

    /** The map's spec. */
    public static MapSpec spec(String name) {
        return MapSpec.of(name, MapType.LPM_TRIE, KEY_SIZE, VALUE_SIZE, MAX_ENTRIES).withFlags(MapFlags.NO_PREALLOC);
    }

    private static byte[] key(Cidr prefix) {
        ByteBuffer k = ByteBuffer.allocate(KEY_SIZE);
        k.order(ByteOrder.nativeOrder()).putInt(0, prefix.prefixLength());
        k.put(4, prefix.address().getAddress());
        return k.array();
    }

    /**
     * Makes the map hold exactly {@code config}'s effective CIDRs: new ones go in before stale ones
     * go out, so a destination in both the old and the new config is never masqueraded in between.
     *
     * @return how many entries were added and removed, as {@code {added, removed}}
     */
    public static int[] sync(RawMap map, MasqConfig config) {
        if (config.effectiveCidrs().size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(config.effectiveCidrs().size() + " non-masquerade CIDRs, more than "
                    + MAX_ENTRIES);
        }
        Set<Cidr> have = all(map);
        int added = 0;
        for (Cidr c : config.effectiveCidrs()) {
            if (!have.contains(c)) {
                map.update(key(c), new byte[] {1}, 0);
                added++;
            }
        }
        int removed = 0;
        for (Cidr c : have) {
            if (!config.effectiveCidrs().contains(c)) {
                map.delete(key(c));
                removed++;
            }
        }
        return new int[] {added, removed};
    }

    /** Whether the kernel's longest-prefix match finds {@code destination} in the map. */
    public static boolean exempts(RawMap map, Inet4Address destination) {
        return map.lookup(key(Cidr.host(destination)), new byte[map.valueBufferSize()]);
    }

    /** Every CIDR in the map. */
    public static Set<Cidr> all(RawMap map) {
        Set<Cidr> out = new LinkedHashSet<>();
        byte[] cur = null;
        byte[] next = new byte[KEY_SIZE];
        while (map.nextKey(cur, next)) {
            ByteBuffer k = ByteBuffer.wrap(next);
            int len = k.order(ByteOrder.nativeOrder()).getInt(0);
            byte[] addr = new byte[4];
            k.get(4, addr);
            try {
                out.add(new Cidr(InetAddress.getByAddress(addr), len));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
            cur = next.clone();
        }
        return out;
    }
}
