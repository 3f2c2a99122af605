package io.jbpf.netpolicy.datapath;

import io.jbpf.core.Pins;
import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.link.TcDirection;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.netpolicy.conntrack.ConntrackMap;
import io.jbpf.netpolicy.service.LoadBalancing;
import io.jbpf.netpolicy.service.ServiceMaps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One node's datapath in the kernel: its maps pinned in a bpffs directory (reused when they are
 * already there, so a restarted agent finds the state it left), the programs loaded over them,
 * and TCX links on each pod's host-side veth, pinned too, so that traffic keeps its policy when
 * the process that set it up is gone. {@link #close()} releases this process's fds and leaves
 * everything in place; {@link #remove(Path)} takes it all away.
 */
public final class NodeDatapath implements AutoCloseable {
    private final Path dir;
    private final KernelMap endpoints;
    private final KernelMap ipcache;
    private final KernelMap policy;
    private final KernelMap events;
    private final KernelMap counters;
    private final KernelMap conntrack;
    private final Map<String, KernelMap> services;
    private final KernelMap lost;
    private final KernelPacketProgram fromContainer;
    private final KernelPacketProgram toContainer;
    private final boolean restored;
    private final LoadBalancing lb;
    private final HostRouting routing;

    private NodeDatapath(LoadBalancing lb, HostRouting routing, Path dir, KernelMap endpoints, KernelMap ipcache, KernelMap policy, KernelMap events,
            KernelMap counters, KernelMap conntrack, Map<String, KernelMap> services, KernelMap lost,
            KernelPacketProgram fromContainer, KernelPacketProgram toContainer, boolean restored) {
        this.lb = lb;
        this.routing = routing;
        this.services = services;
        this.lost = lost;
        this.conntrack = conntrack;
        this.events = events;
        this.counters = counters;
        this.dir = dir;
        this.restored = restored;
        this.endpoints = endpoints;
        this.ipcache = ipcache;
        this.policy = policy;
        this.fromContainer = fromContainer;
        this.toContainer = toContainer;
    }

    /** {@link #open(Path, LoadBalancing, HostRouting)} with the default load balancing and BPF host routing. */
    public static NodeDatapath open(Path dir) {
        return open(dir, LoadBalancing.DEFAULTS, HostRouting.BPF);
    }

    /**
     * Opens the datapath whose pins live in {@code dir} (a directory in bpffs, e.g.
     * {@code /sys/fs/bpf/jbpf/k8s-w1}), creating and pinning the maps that are not there yet, and
     * loads the programs. {@link #restored()} says whether the maps were found pinned. The service
     * maps' Maglev table has {@code lb}'s size; a pinned one of another size is replaced (the agent
     * writes the tables again). The from-container program forwards as {@code routing} says.
     */
    public static NodeDatapath open(Path dir, LoadBalancing lb, HostRouting routing) {
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            boolean restored = Files.exists(dir.resolve(DatapathPrograms.POLICY));
            KernelMap endpoints = openOrCreate(dir, EndpointMap.spec(DatapathPrograms.ENDPOINTS, DatapathPrograms.MAX_ENDPOINTS), opened);
            KernelMap ipcache = openOrCreate(dir, IpCache.spec(DatapathPrograms.IPCACHE, DatapathPrograms.MAX_IPCACHE), opened);
            KernelMap policy = openOrCreate(dir, PolicyMap.spec(DatapathPrograms.POLICY, DatapathPrograms.MAX_POLICY), opened);
            KernelMap events = openOrCreate(dir, FlowEvents.spec(DatapathPrograms.EVENTS), opened);
            KernelMap counters = openOrCreate(dir, Counters.spec(DatapathPrograms.COUNTERS, Counters.MAX_ENTRIES), opened);
            KernelMap conntrack = openOrCreate(dir, ConntrackMap.spec(DatapathPrograms.CONNTRACK, DatapathPrograms.MAX_CONNTRACK),
                    opened);
            KernelMap lost = openOrCreate(dir, FlowEvents.lostSpec(), opened);
            Map<String, KernelMap> services = new LinkedHashMap<>();
            for (MapSpec spec : ServiceMaps.specs(lb)) {
                Path pin = dir.resolve(spec.name());
                if (spec.name().equals(ServiceMaps.MAGLEV) && Files.exists(pin)) {
                    try (KernelMap old = KernelMap.openPinned(pin.toString())) {
                        if (old.spec().valueSize() != spec.valueSize()) {
                            Pins.unpin(pin.toString());
                        }
                    }
                }
                services.put(spec.name(), openOrCreate(dir, spec, opened));
            }
            Map<String, KernelMap> shared = new HashMap<>(Map.of(DatapathPrograms.ENDPOINTS, endpoints,
                    DatapathPrograms.IPCACHE, ipcache, DatapathPrograms.POLICY, policy, DatapathPrograms.EVENTS, events,
                    DatapathPrograms.COUNTERS, counters, DatapathPrograms.CONNTRACK, conntrack));
            shared.putAll(services);
            shared.put(FlowEvents.LOST, lost);
            KernelPacketProgram from = DatapathPrograms.fromContainer(lb, routing).load(shared);
            opened.add(from);
            KernelPacketProgram to = DatapathPrograms.toContainer(lb).load(shared);
            return new NodeDatapath(lb, routing, dir, endpoints, ipcache, policy, events, counters, conntrack,
                    Collections.unmodifiableMap(services), lost, from, to, restored);
        } catch (IOException e) {
            closeAll(opened);
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    static KernelMap openOrCreate(Path dir, MapSpec spec, List<AutoCloseable> opened) {
        Path pin = dir.resolve(spec.name());
        KernelMap m;
        if (Files.exists(pin)) {
            m = KernelMap.openPinned(pin.toString(), spec);
        } else {
            m = KernelMap.create(spec);
            opened.add(m);
            m.pin(pin.toString());
            return m;
        }
        opened.add(m);
        return m;
    }

    static void closeAll(List<? extends AutoCloseable> list) {
        for (int i = list.size() - 1; i >= 0; i--) {
            try {
                list.get(i).close();
            } catch (Exception ignored) {
                // already failing: the first error is the one to report
            }
        }
    }

    /** The load balancing the programs were built for. */
    public LoadBalancing loadBalancing() {
        return lb;
    }

    /** How the programs forward what they let through. */
    public HostRouting routing() {
        return routing;
    }

    /** Whether the maps were found pinned (state left by an earlier process) rather than created. */
    public boolean restored() {
        return restored;
    }

    /** The endpoint map. */
    public KernelMap endpoints() {
        return endpoints;
    }

    /** The ipcache. */
    public KernelMap ipcache() {
        return ipcache;
    }

    /** The policy map. */
    public KernelMap policy() {
        return policy;
    }

    /** The flow event ring buffer ({@link FlowEvents}). */
    public KernelMap events() {
        return events;
    }

    /** The per-CPU traffic counters ({@link Counters}). */
    public KernelMap counters() {
        return counters;
    }

    /** The connection tracking table ({@link ConntrackMap}). */
    public KernelMap conntrack() {
        return conntrack;
    }

    /**
     * The service maps ({@link ServiceMaps}) by name: the service, backend, reverse-NAT and Maglev
     * tables the agent writes, and the connection and affinity tables the datapath writes.
     */
    public Map<String, KernelMap> serviceMaps() {
        return services;
    }

    /** The events the flow ring had no room for, so far (summed over CPUs; {@link FlowEvents#LOST}). */
    public long lostEvents() {
        return FlowEvents.lost(lost);
    }

    /** The pin directory. */
    public Path directory() {
        return dir;
    }

    /**
     * Attaches the programs to {@code ifname} (a pod's host-side veth) in network namespace
     * {@code ns}, from-container on ingress and to-container on egress, and pins the links under
     * {@code links/}. A device that already has pinned links gets the new programs by an atomic
     * link update, so traffic is never unjudged.
     */
    public void attach(NetNamespace ns, String ifname) {
        TcLinkPins.attach(dir, ns, ifname, TcDirection.INGRESS, fromContainer.program());
        TcLinkPins.attach(dir, ns, ifname, TcDirection.EGRESS, toContainer.program());
    }

    /** Whether {@code ifname} has pinned links of this datapath. */
    public boolean isAttached(String ifname) {
        return TcLinkPins.attached(dir, ifname);
    }

    /** Detaches the programs from {@code ifname} (removes the pinned links); false when none were there. */
    public boolean detach(String ifname) {
        return TcLinkPins.detach(dir, ifname);
    }

    /** Releases this process's fds; pinned maps and links stay and keep working. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(List.of(endpoints, ipcache, policy, events, counters, conntrack, lost));
        all.addAll(services.values());
        all.addAll(List.of(fromContainer, toContainer));
        closeAll(all);
    }

    /**
     * Removes a node's datapath: unpins its links (detaching the programs) and maps and deletes the
     * directory. Returns false when there was nothing.
     */
    public static boolean remove(Path dir) {
        if (!Files.exists(dir)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (Files.isDirectory(p)) {
                    Files.delete(p);
                } else {
                    Pins.unpin(p.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
        return true;
    }
}
