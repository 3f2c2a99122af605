package io.jbpf.netpolicy.service;

import io.jbpf.core.dsl.lb.Maglev;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.netpolicy.lab.Ipv4;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * A node's service tables laid out as Cilium's {@code lb4_*} maps:
 * <ul>
 * <li>{@link #SERVICES} (hash): key {@code __be32 address; __be16 port; __u16 backend_slot; __u8 proto;
 * __u8 scope; __u8 pad[2]} (12 bytes); value {@code __u32 backend_id; __u16 count; __u16 rev_nat_index;
 * __u8 flags; __u8 flags2; __u16 pad} (12 bytes). Slot 0 of a frontend holds the backend count (and
 * in {@code backend_id} the ClientIP affinity timeout in seconds, 0 without affinity); slots 1..n the
 * ids of the backends that take new connections.</li>
 * <li>{@link #BACKENDS} (hash): key {@code __u32 id}; value {@code __be32 address; __be16 port; __u8 proto;
 * __u8 flags; __u32 pad} (12 bytes), flags {@link #BACKEND_TERMINATING} for a backend that only keeps
 * its established connections.</li>
 * <li>{@link #REVERSE_NAT} (hash): key {@code __u16 rev_nat_index}; value {@code __be32 address;
 * __be16 port; __u16 pad}: the frontend a reply's source is rewritten to.</li>
 * <li>{@link #MAGLEV} (hash, allocated on use): key {@code __u16 rev_nat_index}; value {@code __u32
 * backend_id[M]}, the frontend's Maglev table (Cilium keeps it in an inner array map of one
 * element; the value is the same). Written only for frontends that use {@link
 * LoadBalancing.Algorithm#MAGLEV}, which slot 0 says in {@code flags2} ({@link #SERVICE2_MAGLEV}).</li>
 * <li>{@link #CONNTRACK} (LRU hash), written by the datapath: which backend each connection to a
 * frontend got, and how to find the frontend from its replies. Key as a conntrack key, {@code
 * __be32 saddr, daddr; __be16 sport, dport; __u8 proto; __u8 kind; __u16 pad}: kind {@link
 * #CT_SERVICE} for the client's tuple to the frontend, {@link #CT_REVERSE} for the reply's tuple
 * (backend to client); value {@code __u32 backend_id; __u32 lifetime; __u16 rev_nat_index; __u16
 * pad; __u32 created} (lifetimes in seconds of {@code bpf_ktime_get_ns()}).</li>
 * <li>{@link #AFFINITY} (LRU hash), written by the datapath for ClientIP affinity: key {@code __be32
 * client; __u16 rev_nat_index; __u16 pad}; value {@code __u32 last_used; __u32 backend_id}.</li>
 * </ul>
 * {@link #sync} keeps ids stable (a backend keeps its id while it is in any service, a frontend its
 * reverse-NAT index) and orders its writes so that the datapath never reads a slot that is not
 * there: backends first, then slots n..1, then slot 0; when a service shrinks, slot 0 first.
 */
public final class ServiceMaps {
    /** Map names. */
    public static final String SERVICES = "jbpf_lb4_svc", BACKENDS = "jbpf_lb4_be", REVERSE_NAT = "jbpf_lb4_rnat",
            MAGLEV = "jbpf_lb4_maglev", CONNTRACK = "jbpf_lb4_ct", AFFINITY = "jbpf_lb4_aff";
    /** Map sizes. */
    public static final int MAX_SLOTS = 65536, MAX_BACKENDS = 65536, MAX_FRONTENDS = 65536, MAX_CONNECTIONS = 65536,
            MAX_AFFINITY = 65536;
    /** Kinds of {@link #CONNTRACK} entry. */
    public static final int CT_SERVICE = 0, CT_REVERSE = 1;
    /** Service flag (slot 0, {@code flags2}): the frontend picks backends by its Maglev table. */
    public static final int SERVICE2_MAGLEV = 0x01;
    /** Backend flag: terminating (no new connections). */
    public static final int BACKEND_TERMINATING = 1;
    /** Service flag (slot 0): ClientIP session affinity. */
    public static final int SERVICE_AFFINITY = 0x10;
    /** Service flag (slot 0): a node port. */
    public static final int SERVICE_NODE_PORT = 0x02;
    /** Service flag (slot 0): an external IP. */
    public static final int SERVICE_EXTERNAL_IP = 0x01;

    private ServiceMaps() {}

    /** The six specs, the Maglev table's of size {@code lb.maglevTableSize()}. */
    public static List<MapSpec> specs(LoadBalancing lb) {
        return List.of(MapSpec.of(SERVICES, MapType.HASH, 12, 12, MAX_SLOTS),
                MapSpec.of(BACKENDS, MapType.HASH, 4, 12, MAX_BACKENDS),
                MapSpec.of(REVERSE_NAT, MapType.HASH, 2, 8, MAX_FRONTENDS),
                MapSpec.of(MAGLEV, MapType.HASH, 2, 4 * lb.maglevTableSize(), MAX_FRONTENDS).withFlags(MapFlags.NO_PREALLOC),
                MapSpec.of(CONNTRACK, MapType.LRU_HASH, 16, 16, MAX_CONNECTIONS),
                MapSpec.of(AFFINITY, MapType.LRU_HASH, 8, 8, MAX_AFFINITY));
    }

    /**
     * One frontend as the maps hold it, with its backends by id.
     *
     * @param flags  {@link #SERVICE_AFFINITY}, {@link #SERVICE_NODE_PORT}, {@link #SERVICE_EXTERNAL_IP}
     * @param flags2 {@link #SERVICE2_MAGLEV}
     */
    public record Entry(Ipv4 address, int port, int protocol, int revNatIndex, int flags, int flags2,
            int affinityTimeout, List<Integer> backendIds) {}

    /** One backend as the maps hold it. */
    public record BackendEntry(int id, Ipv4 address, int port, int protocol, boolean terminating) {}

    private record Key(Ipv4 address, int port, int protocol) {}

    private record BackendKey(Ipv4 address, int port, int protocol) {}

    /**
     * Makes the maps hold {@code services} as node {@code node} serves them to its pods: node ports
     * on every node's address (pods may reach any node's port), each with the backends its node
     * gives new connections (under a Local traffic policy, that node's own); cluster IPs and
     * external IPs with this node's. Frontends of {@link LoadBalancing.Algorithm#MAGLEV} get a
     * Maglev table over their backends' {@code address:port} names, so every node builds the same one.
     *
     * @param nodes every node's underlay address by name, {@code node} among them
     * @return a summary: frontends, backends written
     * @throws IllegalArgumentException when {@code node} is not in {@code nodes}, or the services do not fit the maps
     */
    public static String sync(Map<String, ? extends RawMap> maps, List<ResolvedService> services, String node,
            Map<String, Ipv4> nodes, LoadBalancing lb) {
        RawMap svc = Objects.requireNonNull(maps.get(SERVICES), SERVICES);
        RawMap be = Objects.requireNonNull(maps.get(BACKENDS), BACKENDS);
        RawMap rnat = Objects.requireNonNull(maps.get(REVERSE_NAT), REVERSE_NAT);
        RawMap maglev = Objects.requireNonNull(maps.get(MAGLEV), MAGLEV);
        if (!nodes.containsKey(node)) {
            throw new IllegalArgumentException("node " + node + " is not among the nodes " + nodes.keySet());
        }
        if (maglev.spec().valueSize() != 4 * lb.maglevTableSize()) {
            throw new IllegalArgumentException("map " + MAGLEV + " holds tables of " + maglev.spec().valueSize() / 4
                    + " slots, not " + lb.maglevTableSize());
        }
        Map<Key, Entry> have = frontendsByKey(maps);
        Map<BackendKey, BackendEntry> haveBackends = new HashMap<>();
        for (BackendEntry b : backends(maps).values()) {
            haveBackends.put(new BackendKey(b.address(), b.port(), b.protocol()), b);
        }
        // the wanted state, reusing ids
        TreeSet<Integer> usedIds = new TreeSet<>();
        haveBackends.values().forEach(b -> usedIds.add(b.id()));
        TreeSet<Integer> usedRevNat = new TreeSet<>();
        have.values().forEach(e -> usedRevNat.add(e.revNatIndex()));
        Map<BackendKey, BackendEntry> wantBackends = new LinkedHashMap<>();
        Map<Key, Entry> want = new LinkedHashMap<>();
        Map<Key, List<Backend>> selectable = new HashMap<>();
        for (ResolvedService rs : services) {
            for (ServiceFrontend sf : rs.frontends()) {
                Frontend f = sf.frontend();
                for (Backend b : sf.backends()) {
                    BackendKey bk = new BackendKey(b.address(), b.port(), b.protocol().number());
                    BackendEntry old = wantBackends.containsKey(bk) ? wantBackends.get(bk) : haveBackends.get(bk);
                    int id = old != null ? old.id() : smallestFree(usedIds);
                    usedIds.add(id);
                    boolean terminating = b.state() == BackendState.TERMINATING;
                    BackendEntry prior = wantBackends.get(bk);
                    wantBackends.put(bk, new BackendEntry(id, b.address(), b.port(), bk.protocol(),
                            terminating && (prior == null || prior.terminating())));
                }
                Map<Ipv4, String> addresses = new LinkedHashMap<>();
                if (f.kind() == FrontendKind.NODE_PORT) {
                    nodes.forEach((name, address) -> addresses.put(address, name));
                } else {
                    addresses.put(f.address(), node);
                }
                for (Map.Entry<Ipv4, String> at : addresses.entrySet()) {
                    Key k = new Key(at.getKey(), f.port(), f.protocol().number());
                    List<Backend> chosen = sf.backendsForNewConnections(at.getValue());
                    List<Integer> ids = new ArrayList<>();
                    for (Backend b : chosen) {
                        ids.add(wantBackends.get(new BackendKey(b.address(), b.port(), b.protocol().number())).id());
                    }
                    Entry old = have.get(k);
                    int rev = old != null ? old.revNatIndex() : smallestFree(usedRevNat);
                    usedRevNat.add(rev);
                    int flags = (rs.service().sessionAffinity().clientIp() ? SERVICE_AFFINITY : 0)
                            | (f.kind() == FrontendKind.NODE_PORT ? SERVICE_NODE_PORT : 0)
                            | (f.kind() == FrontendKind.EXTERNAL_IP ? SERVICE_EXTERNAL_IP : 0);
                    int flags2 = lb.algorithm() == LoadBalancing.Algorithm.MAGLEV && !ids.isEmpty() ? SERVICE2_MAGLEV : 0;
                    int timeout = rs.service().sessionAffinity().clientIp() ? rs.service().sessionAffinity().timeoutSeconds() : 0;
                    want.put(k, new Entry(at.getKey(), f.port(), k.protocol(), rev, flags, flags2, timeout, List.copyOf(ids)));
                    selectable.put(k, chosen);
                }
            }
        }
        if (want.size() > MAX_FRONTENDS || wantBackends.size() > MAX_BACKENDS) {
            throw new IllegalArgumentException(want.size() + " frontends and " + wantBackends.size()
                    + " backends do not fit the maps (" + MAX_FRONTENDS + ", " + MAX_BACKENDS + ")");
        }
        // backends first, so every slot written next names one that is there
        for (BackendEntry b : wantBackends.values()) {
            if (!b.equals(haveBackends.get(new BackendKey(b.address(), b.port(), b.protocol())))) {
                be.update(u32(b.id()), backendValue(b), 0);
            }
        }
        for (Entry e : want.values()) {
            Entry old = have.get(new Key(e.address(), e.port(), e.protocol()));
            if (e.equals(old)) {
                continue;
            }
            rnat.update(u16(e.revNatIndex()), revNatValue(e), 0);
            if ((e.flags2() & SERVICE2_MAGLEV) != 0) {
                maglev.update(u16(e.revNatIndex()), maglevTable(selectable.get(new Key(e.address(), e.port(), e.protocol())),
                        e.backendIds(), lb.maglevTableSize()), 0);
            }
            int oldCount = old == null ? 0 : old.backendIds().size();
            int n = e.backendIds().size();
            if (n < oldCount) {
                svc.update(slotKey(e, 0), slotValue(e, 0), 0);
            }
            for (int slot = n; slot >= 1; slot--) {
                svc.update(slotKey(e, slot), slotValue(e, slot), 0);
            }
            if (n >= oldCount) {
                svc.update(slotKey(e, 0), slotValue(e, 0), 0);
            }
            for (int slot = n + 1; slot <= oldCount; slot++) {
                svc.delete(slotKey(e, slot));
            }
        }
        // then what is gone: frontends (slot 0 first), their reverse NAT, unreferenced backends
        for (Entry old : have.values()) {
            if (!want.containsKey(new Key(old.address(), old.port(), old.protocol()))) {
                for (int slot = 0; slot <= old.backendIds().size(); slot++) {
                    svc.delete(slotKey(old, slot));
                }
                rnat.delete(u16(old.revNatIndex()));
            }
            Entry now = want.get(new Key(old.address(), old.port(), old.protocol()));
            if ((old.flags2() & SERVICE2_MAGLEV) != 0 && (now == null || (now.flags2() & SERVICE2_MAGLEV) == 0)) {
                maglev.delete(u16(old.revNatIndex()));
            }
        }
        for (Map.Entry<BackendKey, BackendEntry> b : haveBackends.entrySet()) {
            if (!wantBackends.containsKey(b.getKey())) {
                be.delete(u32(b.getValue().id()));
            }
        }
        return want.size() + " frontends, " + wantBackends.size() + " backends";
    }

    /** The Maglev table of {@code backends} (named {@code address:port}) as backend ids. */
    private static byte[] maglevTable(List<Backend> backends, List<Integer> ids, int size) {
        List<Maglev.Backend> named = new ArrayList<>();
        for (Backend b : backends) {
            named.add(Maglev.Backend.of(b.address() + ":" + b.port()));
        }
        int[] table = Maglev.build(named, size).table();
        ByteBuffer v = ByteBuffer.allocate(4 * size).order(ByteOrder.nativeOrder());
        for (int i = 0; i < size; i++) {
            v.putInt(4 * i, ids.get(table[i]));
        }
        return v.array();
    }

    /** The Maglev table of a frontend (by its reverse-NAT index) as backend ids, or empty when it has none. */
    public static java.util.Optional<int[]> maglevTable(Map<String, ? extends RawMap> maps, int revNatIndex) {
        RawMap m = maps.get(MAGLEV);
        byte[] v = new byte[m.valueBufferSize()];
        if (!m.lookup(u16(revNatIndex), v)) {
            return java.util.Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder());
        int[] t = new int[m.spec().valueSize() / 4];
        for (int i = 0; i < t.length; i++) {
            t[i] = b.getInt(4 * i);
        }
        return java.util.Optional.of(t);
    }

    /**
     * One entry of {@link #CONNTRACK}: the tuple (client to frontend for {@link #CT_SERVICE}, backend
     * to client for {@link #CT_REVERSE}) and what the datapath keeps for it.
     *
     * @param lifetime the second (of {@code bpf_ktime_get_ns()}) after which it is expired
     * @param created  the second it was created
     */
    public record Connection(Ipv4 source, Ipv4 destination, int sourcePort, int destinationPort, int protocol, int kind,
            int backendId, long lifetime, int revNatIndex, long created) {
        /** {@code TCP 172.16.0.5:40000 -> 10.96.0.50:80 backend 3 (rev-nat 1)}. */
        @Override
        public String toString() {
            String proto = protocol == 6 ? "TCP" : protocol == 17 ? "UDP" : "proto " + protocol;
            return proto + " " + source + ":" + sourcePort + " -> " + destination + ":" + destinationPort
                    + (kind == CT_SERVICE ? " backend " + backendId : " reply") + " (rev-nat " + revNatIndex + ")";
        }
    }

    /** The connections the datapath balanced, as {@link #CONNTRACK} holds them (expired ones included). */
    public static List<Connection> connections(Map<String, ? extends RawMap> maps) {
        RawMap ct = Objects.requireNonNull(maps.get(CONNTRACK), CONNTRACK);
        List<Connection> out = new ArrayList<>();
        ct.forEachEntry((key, value) -> {
            ByteBuffer k = ByteBuffer.wrap(key);
            ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
            out.add(new Connection(new Ipv4(k.getInt(0)), new Ipv4(k.getInt(4)), k.getShort(8) & 0xffff,
                    k.getShort(10) & 0xffff, k.get(12) & 0xff, k.get(13) & 0xff, v.getInt(0),
                    v.getInt(4) & 0xffffffffL, v.getShort(8) & 0xffff, v.getInt(12) & 0xffffffffL));
        });
        return out;
    }

    /**
     * Deletes the {@link #CONNTRACK} entries expired at {@code nowSeconds} (on the clock of
     * {@code bpf_ktime_get_ns()}, {@code System.nanoTime() / 10^9} on Linux).
     *
     * @return how many were deleted
     */
    public static int gc(Map<String, ? extends RawMap> maps, long nowSeconds) {
        RawMap ct = Objects.requireNonNull(maps.get(CONNTRACK), CONNTRACK);
        List<byte[]> expired = new ArrayList<>();
        ct.forEachEntry((k, v) -> {
            if ((ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt(4) & 0xffffffffL) < nowSeconds) {
                expired.add(k);
            }
        });
        int n = 0;
        for (byte[] k : expired) {
            if (ct.delete(k)) {
                n++;
            }
        }
        return n;
    }

    private static int smallestFree(TreeSet<Integer> used) {
        int id = 1;
        while (used.contains(id)) {
            id++;
        }
        return id;
    }

    /** The frontends the maps hold (by slot 0), with their backend ids in slot order. */
    public static List<Entry> frontends(Map<String, ? extends RawMap> maps) {
        return List.copyOf(frontendsByKey(maps).values());
    }

    private static Map<Key, Entry> frontendsByKey(Map<String, ? extends RawMap> maps) {
        RawMap svc = maps.get(SERVICES);
        Map<Key, ByteBuffer> slot0 = new LinkedHashMap<>();
        Map<Key, Map<Integer, Integer>> slots = new HashMap<>();
        svc.forEachEntry((keyBytes, value) -> {
            ByteBuffer k = ByteBuffer.wrap(keyBytes);
            Key key = new Key(new Ipv4(k.getInt(0)), k.getShort(4) & 0xffff, k.get(8) & 0xff);
            int slot = k.order(ByteOrder.nativeOrder()).getShort(6) & 0xffff;
            ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
            if (slot == 0) {
                slot0.put(key, v);
            } else {
                slots.computeIfAbsent(key, x -> new HashMap<>()).put(slot, v.getInt(0));
            }
        });
        Map<Key, Entry> out = new LinkedHashMap<>();
        slot0.forEach((key, v) -> {
            int count = v.getShort(4) & 0xffff;
            List<Integer> ids = new ArrayList<>();
            Map<Integer, Integer> s = slots.getOrDefault(key, Map.of());
            for (int i = 1; i <= count; i++) {
                ids.add(s.getOrDefault(i, 0));
            }
            out.put(key, new Entry(key.address(), key.port(), key.protocol(), v.getShort(6) & 0xffff, v.get(8) & 0xff,
                    v.get(9) & 0xff, v.getInt(0), List.copyOf(ids)));
        });
        return out;
    }

    /** The backends the maps hold, by id. */
    public static Map<Integer, BackendEntry> backends(Map<String, ? extends RawMap> maps) {
        RawMap be = maps.get(BACKENDS);
        Map<Integer, BackendEntry> out = new java.util.TreeMap<>();
        be.forEachEntry((key, value) -> {
            int id = ByteBuffer.wrap(key).order(ByteOrder.nativeOrder()).getInt(0);
            ByteBuffer v = ByteBuffer.wrap(value);
            out.put(id, new BackendEntry(id, new Ipv4(v.getInt(0)), v.getShort(4) & 0xffff, v.get(6) & 0xff,
                    (v.get(7) & BACKEND_TERMINATING) != 0));
        });
        return out;
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(0, v).array();
    }

    private static byte[] u16(int v) {
        return ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort(0, (short) v).array();
    }

    private static byte[] slotKey(Entry e, int slot) {
        ByteBuffer k = ByteBuffer.allocate(12);
        k.putInt(0, e.address().bits()).putShort(4, (short) e.port()).put(8, (byte) e.protocol());
        k.order(ByteOrder.nativeOrder()).putShort(6, (short) slot);
        return k.array();
    }

    private static byte[] slotValue(Entry e, int slot) {
        ByteBuffer v = ByteBuffer.allocate(12).order(ByteOrder.nativeOrder());
        if (slot == 0) {
            v.putInt(0, e.affinityTimeout()).putShort(4, (short) e.backendIds().size()).put(8, (byte) e.flags())
                    .put(9, (byte) e.flags2());
        } else {
            v.putInt(0, e.backendIds().get(slot - 1));
        }
        v.putShort(6, (short) e.revNatIndex());
        return v.array();
    }

    private static byte[] backendValue(BackendEntry b) {
        ByteBuffer v = ByteBuffer.allocate(12);
        v.putInt(0, b.address().bits()).putShort(4, (short) b.port()).put(6, (byte) b.protocol())
                .put(7, (byte) (b.terminating() ? BACKEND_TERMINATING : 0));
        return v.array();
    }

    private static byte[] revNatValue(Entry e) {
        ByteBuffer v = ByteBuffer.allocate(8);
        v.putInt(0, e.address().bits()).putShort(4, (short) e.port());
        return v.array();
    }
}
