package io.jbpf.core.vm;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The routing state {@code bpf_fib_lookup} (helper 69) sees in the VM, supplied by the test: the
 * devices (ifindex, MAC, MTU, whether forwarding is on, their addresses), the routes of the FIB
 * tables (prefix → device, gateway, preferred source, MTU, metric, type) and the neighbour table
 * (address → MAC). Set it with {@link Vm.Builder#fibTable(FibTable)}; without one every lookup
 * fails as on a host without such a device ({@code -ENODEV}).
 *
 * <pre>{@code
 * FibTable fib = FibTable.builder()
 *         .device(2, "02:00:00:00:00:02", 1500).address(2, "10.0.0.254")
 *         .route("10.1.0.0/16", 2, "10.0.0.1")      // via a gateway
 *         .route("10.0.0.0/24", 2)                  // on link
 *         .neighbor(2, "10.0.0.1", "02:00:00:00:00:01")
 *         .blackhole("192.0.2.0/24")
 *         .build();
 * Vm vm = Vm.builder().fibTable(fib).build();
 * }</pre>
 *
 * Lookups follow the kernel's default rules: the local table (255), then main (254), then
 * default (253); {@code BPF_FIB_LOOKUP_DIRECT} looks in main only, or with
 * {@code BPF_FIB_LOOKUP_TBID} in the table given (a table without routes does not exist). Within
 * a table the longest prefix wins, then the lowest metric. A route's MTU counts as a locked one
 * ({@code ip route ... mtu lock N}): the kernel ignores unlocked route MTUs when forwarding.
 * Immutable.
 */
public final class FibTable {
    /** The kernel's table ids. */
    public static final int TABLE_DEFAULT = 253;
    public static final int TABLE_MAIN = 254;
    public static final int TABLE_LOCAL = 255;

    /** An empty table: no devices, no routes. */
    public static final FibTable EMPTY = builder().build();

    /** Route types as the kernel's {@code RTN_*}: only unicast routes forward. */
    public enum RouteType {
        UNICAST, LOCAL, BROADCAST, MULTICAST, BLACKHOLE, UNREACHABLE, PROHIBIT, THROW
    }

    /**
     * A network device.
     *
     * @param ifindex    its index
     * @param mac        its 6-byte address ({@code smac} of a successful lookup)
     * @param mtu        its MTU
     * @param forwarding whether forwarding is on (for both families); lookups with it off return
     *                   {@code BPF_FIB_LKUP_RET_FWD_DISABLED}
     * @param addresses  its addresses (the source a {@code BPF_FIB_LOOKUP_SRC} lookup picks when the
     *                   route has no preferred source: the first of the destination's family)
     */
    public record Device(int ifindex, byte[] mac, int mtu, boolean forwarding, List<InetAddress> addresses) {
        public Device {
            if (ifindex <= 0 || mac.length != 6 || mtu <= 0) {
                throw new IllegalArgumentException("device " + ifindex + ": needs an ifindex > 0, a 6-byte MAC and an MTU > 0");
            }
            mac = mac.clone();
            addresses = List.copyOf(addresses);
        }

        @Override
        public byte[] mac() {
            return mac.clone();
        }
    }

    /**
     * A route.
     *
     * @param prefix          the network (host bits are ignored)
     * @param prefixLength    its length
     * @param type            what the route does
     * @param ifindex         the output device (unicast routes)
     * @param gateway         the next hop, or null when the destination is on link; an IPv6 gateway
     *                        of an IPv4 route turns the result into {@code AF_INET6}, as in the kernel
     * @param preferredSource the source address the route prefers, or null
     * @param mtu             the route's (locked) MTU, or 0 for the device's
     * @param metric          its priority ({@code rt_metric} of the result); lower wins
     * @param table           its table id
     * @param encapsulated    whether it encapsulates (lightweight tunnels): {@code BPF_FIB_LKUP_RET_UNSUPP_LWT}
     */
    public record Route(InetAddress prefix, int prefixLength, RouteType type, int ifindex, InetAddress gateway,
            InetAddress preferredSource, int mtu, int metric, int table, boolean encapsulated) {
        public Route {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(type, "type");
            if (prefixLength < 0 || prefixLength > prefix.getAddress().length * 8) {
                throw new IllegalArgumentException("prefix length " + prefixLength + " for " + prefix.getHostAddress());
            }
            if (type == RouteType.UNICAST && ifindex <= 0) {
                throw new IllegalArgumentException("a unicast route needs an output device");
            }
        }

        /** A unicast route of the main table to {@code cidr} ("10.0.0.0/24", "fd00::/64") out of {@code ifindex}, via {@code gateway} (or null). */
        public static Route unicast(String cidr, int ifindex, String gateway) {
            InetAddress[] p = new InetAddress[1];
            int len = parseCidr(cidr, p);
            return new Route(p[0], len, RouteType.UNICAST, ifindex, gateway == null ? null : address(gateway), null, 0, 0,
                    TABLE_MAIN, false);
        }

        /** This route with another preferred source. */
        public Route withPreferredSource(String source) {
            return new Route(prefix, prefixLength, type, ifindex, gateway, address(source), mtu, metric, table,
                    encapsulated);
        }

        /** This route with its own MTU. */
        public Route withMtu(int newMtu) {
            return new Route(prefix, prefixLength, type, ifindex, gateway, preferredSource, newMtu, metric, table,
                    encapsulated);
        }

        /** This route with another metric. */
        public Route withMetric(int newMetric) {
            return new Route(prefix, prefixLength, type, ifindex, gateway, preferredSource, mtu, newMetric, table,
                    encapsulated);
        }

        /** This route in another table. */
        public Route inTable(int newTable) {
            return new Route(prefix, prefixLength, type, ifindex, gateway, preferredSource, mtu, metric, newTable,
                    encapsulated);
        }

        /** This route as a lightweight tunnel (encapsulating). */
        public Route asTunnel() {
            return new Route(prefix, prefixLength, type, ifindex, gateway, preferredSource, mtu, metric, table, true);
        }

        /** Whether {@code a} (4 or 16 bytes) lies in this route's prefix. */
        public boolean matches(byte[] a) {
            byte[] p = prefix.getAddress();
            if (a.length != p.length) {
                return false;
            }
            int full = prefixLength / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != p[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (a[full] & mask) == (p[full] & mask);
        }
    }

    /**
     * A neighbour entry (a reachable one: {@code NUD_VALID}).
     *
     * @param ifindex the device it is reached on
     * @param address its address
     * @param mac     its 6-byte MAC ({@code dmac} of a successful lookup)
     */
    public record Neighbor(int ifindex, InetAddress address, byte[] mac) {
        public Neighbor {
            if (mac.length != 6) {
                throw new IllegalArgumentException("a MAC has 6 bytes");
            }
            mac = mac.clone();
        }

        @Override
        public byte[] mac() {
            return mac.clone();
        }
    }

    private final List<Device> devices;
    private final List<Route> routes;
    private final List<Neighbor> neighbors;

    private FibTable(Builder b) {
        this.devices = List.copyOf(b.devices);
        this.routes = List.copyOf(b.routes);
        this.neighbors = List.copyOf(b.neighbors);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Device> devices() {
        return devices;
    }

    public List<Route> routes() {
        return routes;
    }

    public List<Neighbor> neighbors() {
        return neighbors;
    }

    /** The device {@code ifindex}, or null. */
    public Device device(int ifindex) {
        for (Device d : devices) {
            if (d.ifindex() == ifindex) {
                return d;
            }
        }
        return null;
    }

    /** Whether table {@code id} has any route. */
    public boolean hasTable(int id) {
        return routes.stream().anyMatch(r -> r.table() == id);
    }

    /** The route of table {@code table} for {@code address} (4 or 16 bytes): longest prefix, then lowest metric; or null. */
    public Route lookup(int table, byte[] address) {
        Route best = null;
        for (Route r : routes) {
            if (r.table() != table || !r.matches(address)) {
                continue;
            }
            if (best == null || r.prefixLength() > best.prefixLength()
                    || r.prefixLength() == best.prefixLength() && Integer.compareUnsigned(r.metric(), best.metric()) < 0) {
                best = r;
            }
        }
        return best;
    }

    /** The MAC of neighbour {@code address} on {@code ifindex}, or null. */
    public byte[] neighbor(int ifindex, byte[] address) {
        for (Neighbor n : neighbors) {
            if (n.ifindex() == ifindex && java.util.Arrays.equals(n.address().getAddress(), address)) {
                return n.mac();
            }
        }
        return null;
    }

    static InetAddress address(String text) {
        if (!text.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("not an IP address literal: " + text);
        }
        try {
            return InetAddress.getByName(text); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address: " + text, e);
        }
    }

    static int parseCidr(String cidr, InetAddress[] out) {
        int slash = cidr.indexOf('/');
        out[0] = address(slash < 0 ? cidr : cidr.substring(0, slash));
        return slash < 0 ? out[0].getAddress().length * 8 : Integer.parseInt(cidr.substring(slash + 1));
    }

    static byte[] mac(String text) {
        byte[] m = HexFormat.ofDelimiter(":").parseHex(text);
        if (m.length != 6) {
            throw new IllegalArgumentException("not a MAC address: " + text);
        }
        return m;
    }

    /** Builds a {@link FibTable}. */
    public static final class Builder {
        private final List<Device> devices = new ArrayList<>();
        private final List<Route> routes = new ArrayList<>();
        private final List<Neighbor> neighbors = new ArrayList<>();

        private Builder() {}

        /** A device with forwarding on. */
        public Builder device(int ifindex, String mac, int mtu) {
            return device(new Device(ifindex, mac(mac), mtu, true, List.of()));
        }

        public Builder device(Device d) {
            devices.removeIf(x -> x.ifindex() == d.ifindex());
            devices.add(d);
            return this;
        }

        /** Adds an address to device {@code ifindex} (added before). */
        public Builder address(int ifindex, String ip) {
            Device d = devices.stream().filter(x -> x.ifindex() == ifindex).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no device " + ifindex + " yet"));
            List<InetAddress> a = new ArrayList<>(d.addresses());
            a.add(FibTable.address(ip));
            return device(new Device(d.ifindex(), d.mac(), d.mtu(), d.forwarding(), a));
        }

        /** A unicast route on link. */
        public Builder route(String cidr, int ifindex) {
            return route(Route.unicast(cidr, ifindex, null));
        }

        /** A unicast route via {@code gateway}. */
        public Builder route(String cidr, int ifindex, String gateway) {
            return route(Route.unicast(cidr, ifindex, gateway));
        }

        public Builder route(Route r) {
            routes.add(Objects.requireNonNull(r, "route"));
            return this;
        }

        public Builder blackhole(String cidr) {
            return reject(cidr, RouteType.BLACKHOLE);
        }

        public Builder unreachable(String cidr) {
            return reject(cidr, RouteType.UNREACHABLE);
        }

        public Builder prohibit(String cidr) {
            return reject(cidr, RouteType.PROHIBIT);
        }

        private Builder reject(String cidr, RouteType type) {
            InetAddress[] p = new InetAddress[1];
            int len = parseCidr(cidr, p);
            return route(new Route(p[0], len, type, 0, null, null, 0, 0, TABLE_MAIN, false));
        }

        /** A reachable neighbour. */
        public Builder neighbor(int ifindex, String ip, String mac) {
            neighbors.add(new Neighbor(ifindex, FibTable.address(ip), FibTable.mac(mac)));
            return this;
        }

        public FibTable build() {
            return new FibTable(this);
        }
    }
}
