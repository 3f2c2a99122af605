package io.jbpf.netpolicy.datapath;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The endpoints of a node, as Cilium's {@code cilium_lxc}: a hash from the pod's IPv4 address
 * (network order) to
 * <pre>
 *   u32 endpoint   @0    the endpoint id (host order, like every number of the value)
 *   u32 identity   @4    its security identity
 *   u32 ifindex    @8    the host side of its veth ({@code lxc…})
 *   u32 flags      @12
 *   u8  mac[6]     @16   the pod's MAC
 *   u8  nodeMac[6] @22   the MAC of the host side
 *   u8  pad[4]     @28
 * </pre>
 */
public final class EndpointMap {
    /** Key size: an IPv4 address. */
    public static final int KEY_SIZE = 4;
    /** Value size. */
    public static final int VALUE_SIZE = 32;
    /** Value offsets. */
    public static final int ENDPOINT = 0, IDENTITY = 4, IFINDEX = 8, FLAGS = 12, MAC = 16, NODE_MAC = 22;

    private EndpointMap() {}

    /**
     * One endpoint's entry.
     *
     * @param address  the pod's IPv4 address
     * @param endpoint the endpoint id (1-65535: the policy map keys it in 16 bits)
     * @param identity its identity
     * @param ifindex  the host side of its veth
     * @param mac      the pod's MAC (6 bytes)
     * @param nodeMac  the host side's MAC (6 bytes)
     */
    public record Entry(Inet4Address address, int endpoint, int identity, int ifindex, byte[] mac, byte[] nodeMac) {
        /** @throws IllegalArgumentException for an id out of range or MACs that are not 6 bytes */
        public Entry {
            if (endpoint < 1 || endpoint > 0xFFFF) {
                throw new IllegalArgumentException("endpoint id " + endpoint + " is not 1-65535");
            }
            if (mac.length != 6 || nodeMac.length != 6) {
                throw new IllegalArgumentException("MAC addresses have 6 bytes");
            }
            mac = mac.clone();
            nodeMac = nodeMac.clone();
        }
    }

    /** The spec for {@code maxEntries} endpoints. */
    public static MapSpec spec(String name, int maxEntries) {
        return MapSpec.of(name, MapType.HASH, KEY_SIZE, VALUE_SIZE, maxEntries);
    }

    /** Adds or replaces an endpoint. */
    public static void put(RawMap map, Entry e) {
        ByteBuffer v = ByteBuffer.allocate(VALUE_SIZE).order(ByteOrder.nativeOrder());
        v.putInt(ENDPOINT, e.endpoint()).putInt(IDENTITY, e.identity()).putInt(IFINDEX, e.ifindex()).putInt(FLAGS, 0);
        v.put(MAC, e.mac()).put(NODE_MAC, e.nodeMac());
        map.update(e.address().getAddress(), v.array(), 0);
    }

    /** Removes the endpoint with this address; false when there was none. */
    public static boolean remove(RawMap map, Inet4Address address) {
        return map.delete(address.getAddress());
    }

    /** The endpoint with this address. */
    public static Optional<Entry> get(RawMap map, Inet4Address address) {
        byte[] v = new byte[map.valueBufferSize()];
        if (!map.lookup(address.getAddress(), v)) {
            return Optional.empty();
        }
        return Optional.of(decode(address.getAddress(), v));
    }

    /** Every endpoint, by address. */
    public static Map<Inet4Address, Entry> all(RawMap map) {
        Map<Inet4Address, Entry> out = new LinkedHashMap<>();
        map.forEachEntry((k, v) -> {
            Entry e = decode(k, v);
            out.put(e.address(), e);
        });
        return out;
    }

    private static Entry decode(byte[] key, byte[] value) {
        ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        byte[] mac = new byte[6];
        byte[] nodeMac = new byte[6];
        v.get(MAC, mac).get(NODE_MAC, nodeMac);
        try {
            return new Entry((Inet4Address) InetAddress.getByAddress(key), v.getInt(ENDPOINT), v.getInt(IDENTITY),
                    v.getInt(IFINDEX), mac, nodeMac);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
