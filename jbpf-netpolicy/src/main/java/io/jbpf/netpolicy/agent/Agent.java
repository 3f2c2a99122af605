package io.jbpf.netpolicy.agent;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.conntrack.ConntrackMap;
import io.jbpf.netpolicy.datapath.EndpointMap;
import io.jbpf.netpolicy.datapath.IpCache;
import io.jbpf.netpolicy.datapath.NodeDatapath;
import io.jbpf.netpolicy.datapath.NodeMasquerade;
import io.jbpf.netpolicy.datapath.PolicyMap;
import io.jbpf.netpolicy.flow.FlowObserver;
import io.jbpf.netpolicy.health.ClusterHealth;
import io.jbpf.netpolicy.health.HealthOptions;
import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.IdentityAllocator;
import io.jbpf.netpolicy.identity.Labels;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.LabNames;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NamespaceSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.PodSpec;
import io.jbpf.netpolicy.nat.MasqConfig;
import io.jbpf.netpolicy.nat.MasqConfigFile;
import io.jbpf.netpolicy.policy.EndpointPolicy;
import io.jbpf.netpolicy.policy.NamedPort;
import io.jbpf.netpolicy.policy.Peer;
import io.jbpf.netpolicy.policy.Policy;
import io.jbpf.netpolicy.policy.PolicyResolver;
import io.jbpf.netpolicy.policy.PolicyRule;
import io.jbpf.netpolicy.policy.Protocol;
import io.jbpf.netpolicy.service.ResolvedService;
import io.jbpf.netpolicy.service.ServiceMaps;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One node's agent: owns the node's {@link NodeDatapath}, keeps its endpoints (the lab's pods on
 * this node), the ipcache (every pod, node and policy CIDR of the cluster) and each endpoint's
 * policy map in step with the cluster state (the lab spec, the shared identities, the imported
 * policies), and answers the CLI on a Unix socket ({@link AgentServer}). It reconciles at start —
 * finding the pinned state an earlier agent left, its endpoints shown as {@code restored} — and
 * whenever the policy revision changes. It also keeps the node's service maps ({@link ServiceMaps})
 * in step with the imported Services and EndpointSlices ({@link ServiceStore}): at start (a
 * restarted agent writes them again) and whenever the service revision changes; a sync that fails
 * is reported in {@link #serviceError()} and retried, the maps keeping what they held. Only one
 * agent may own a node: a second one is refused.
 */
public final class Agent implements AutoCloseable {
    /** What the agent knows of one endpoint. */
    public record EndpointStatus(int id, String pod, String namespace, Inet4Address ipv4, Identity identity,
            boolean ingressEnforced, boolean egressEnforced, String state) {}

    private final LabSpec lab;
    /** The lab's pods by address (the address's 32 bits), for naming flows. */
    private final Map<Integer, String> podNames;
    private final AgentConfig config;
    private final NodeSpec node;
    private final IdentityAllocator identities;
    private final PolicyStore store;
    private final ServiceStore serviceStore;
    private final LabelStore labels;
    private final NodeDatapath datapath;
    /** The agent's metrics, served by {@link AgentMetrics} once the datapath is in step. */
    private final PrometheusRegistry registry = new PrometheusRegistry();
    /** Counts the agent's map operations ({@code cilium_bpf_map_ops_total}). */
    private final MapOps mapOps;
    private final NodeMasquerade masquerade;
    private final MasqConfigFile masqFile;
    private final FileChannel lockFile;
    private final FileLock lock;
    private final Thread watcher;
    private final AgentServer server;
    private final FlowObserver flows;
    private final AgentMetrics metrics;
    /** The node's health responders and its prober of every node ({@code jbpf health}). */
    private final ClusterHealth health;
    private final Instant started = Instant.now();
    private volatile Map<String, EndpointStatus> endpoints = Map.of();
    private volatile long appliedRevision = -1;
    private volatile String lastError = "";
    private volatile long appliedServiceRevision = -1;
    private volatile int appliedServices;
    private volatile String serviceError = "";
    private volatile boolean closed;

    private Agent(LabSpec lab, AgentConfig config, NodeSpec node, FileChannel lockFile, FileLock lock) {
        this.lab = lab;
        Map<Integer, String> names = new HashMap<>();
        for (PodSpec p : lab.pods()) {
            names.put(p.ip().bits(), p.qualifiedName());
        }
        this.podNames = Map.copyOf(names);
        this.config = config;
        this.node = node;
        this.lockFile = lockFile;
        this.lock = lock;
        this.identities = IdentityAllocator.shared(config.identities());
        this.store = new PolicyStore(config.policies());
        this.labels = new LabelStore(config.stateDir().resolve("labels"), store);
        this.serviceStore = new ServiceStore(config.services());
        this.datapath = NodeDatapath.open(config.pinDir(), config.loadBalancing(), config.hostRouting());
        this.mapOps = new MapOps(registry);
        FlowObserver observer = null;
        NodeMasquerade masq = null;
        AgentMetrics metricsServer = null;
        ClusterHealth clusterHealth = null;
        try {
            this.masqFile = MasqConfigFile.open(config.masqConfig());
            masq = NodeMasquerade.open(config.pinDir(), node.podCidr(), datapath);
            this.masquerade = masq;
            configureMasquerade(masqFile.current());
            try (NetNamespace ns = NetNamespace.open(new LabNames(lab.name()).node(node.name()))) {
                masquerade.attach(ns, LabNames.UNDERLAY_IF);
            }
            reconcile(datapath.restored());
            syncServices();
            try (NetNamespace ns = NetNamespace.open(new LabNames(lab.name()).node(node.name()))) {
                metricsServer = AgentMetrics.start(this, ns, inet(node.ip()), registry);
            }
            this.metrics = metricsServer;
            AgentMetrics m = metricsServer;
            observer = new FlowObserver(node.name(), datapath.events(), this::podAt, 4096, m::record);
            this.flows = observer;
            clusterHealth = ClusterHealth.start(lab, node, HealthOptions.DEFAULTS);
            this.health = clusterHealth;
            this.server = AgentServer.start(this, config.socket());
        } catch (RuntimeException e) {
            closeQuietly(clusterHealth);
            closeQuietly(observer);
            closeQuietly(metricsServer);
            closeQuietly(masq);
            datapath.close();
            throw e;
        }
        this.watcher = new Thread(this::watch, "jbpf-agent-" + node.name());
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    /**
     * Starts the agent of {@code config.node()} in {@code lab}.
     *
     * @throws AgentException when the lab has no such node or another agent owns it
     */
    public static Agent start(LabSpec lab, AgentConfig config) {
        NodeSpec node = lab.node(config.node()).orElseThrow(() -> new AgentException("lab '" + lab.name()
                + "' has no node '" + config.node() + "' (nodes: "
                + String.join(", ", lab.nodes().stream().map(NodeSpec::name).toList()) + ")"));
        FileChannel ch = null;
        try {
            Files.createDirectories(config.socket().getParent());
            ch = FileChannel.open(config.socket().resolveSibling(config.node() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                throw new AgentException("another agent already runs for node " + config.node());
            }
            return new Agent(lab, config, node, ch, l);
        } catch (java.io.IOException e) {
            closeQuietly(ch);
            throw new AgentException("cannot start the agent of " + config.node() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // the first error is reported
            }
        }
    }

    private void watch() {
        long nextGc = System.nanoTime();
        long nextMasq = System.nanoTime();
        long nextServiceSync = System.nanoTime();
        while (!closed) {
            try {
                Thread.sleep(100);
                if (System.nanoTime() - nextServiceSync > 0 && serviceRevisionChanged() && !syncServices()) {
                    nextServiceSync = System.nanoTime() + 1_000_000_000L; // retried, not every poll
                }
                if (store.revision() != appliedRevision) {
                    reconcile(false);
                }
                if (System.nanoTime() - nextMasq > 0) {
                    masqFile.poll().ifPresent(this::configureMasquerade);
                    nextMasq = System.nanoTime() + 1_000_000_000L;
                }
                if (System.nanoTime() - nextGc > 0) {
                    ConntrackMap.gc(mapOps.meter(datapath.conntrack()), System.nanoTime());
                    ServiceMaps.gc(mapOps.meter(datapath.serviceMaps()), System.nanoTime() / 1_000_000_000L);
                    nextGc = System.nanoTime() + 10_000_000_000L;
                }
                lastError = "";
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
        }
    }

    /**
     * Writes the stored services into the node's service maps. A failure (a stored object that no
     * longer reads, services that do not fit the maps) is kept in {@link #serviceError()}, not thrown.
     *
     * @return whether the maps now hold the store's revision
     */
    synchronized boolean syncServices() {
        try {
            long revision = serviceStore.revision();
            List<ResolvedService> services = serviceStore.services();
            ServiceMaps.sync(mapOps.meter(datapath.serviceMaps()), services, node.name(), nodeAddresses(), config.loadBalancing());
            appliedServices = services.size();
            appliedServiceRevision = revision;
            serviceError = "";
            return true;
        } catch (RuntimeException e) {
            serviceError = e.getClass().getSimpleName() + ": " + e.getMessage();
            return false;
        }
    }

    /** Whether the store's service revision is not the one the maps hold (an unreadable one counts as changed). */
    private boolean serviceRevisionChanged() {
        try {
            return serviceStore.revision() != appliedServiceRevision;
        } catch (RuntimeException e) {
            return true; // syncServices reports it
        }
    }

    /** Every node's underlay address by node name: where node ports are served. */
    public Map<String, Ipv4> nodeAddresses() {
        Map<String, Ipv4> out = new LinkedHashMap<>();
        lab.nodes().forEach(n -> out.put(n.name(), n.ip()));
        return out;
    }

    /** Pod traffic to destinations {@code masq} does not exempt leaves with the node's address. */
    private synchronized void configureMasquerade(MasqConfig masq) {
        masquerade.configure(node.ip().toString(), masq);
    }

    /** Brings the datapath in line with the cluster state. */
    synchronized void reconcile(boolean restoring) {
        long revision = store.revision();
        List<Policy> policies = store.policies();
        LabNames names = new LabNames(lab.name());
        // identities of every pod, and of every CIDR the policies name
        Map<String, Identity> podIds = new LinkedHashMap<>();
        for (PodSpec p : lab.pods()) {
            podIds.put(p.qualifiedName(), identities.allocate(labelsOf(p)));
        }
        Map<Cidr, Identity> cidrIds = new LinkedHashMap<>();
        for (Cidr c : cidrsOf(policies)) {
            cidrIds.put(c, identities.allocateCidr(c));
        }
        // the ipcache
        Map<Cidr, IpCache.Entry> wantCache = new LinkedHashMap<>();
        cidrIds.forEach((c, id) -> wantCache.put(c, new IpCache.Entry(c, id.id(), null)));
        for (NodeSpec n : lab.nodes()) {
            int id = n.equals(node) ? ReservedIdentity.HOST.id() : ReservedIdentity.REMOTE_NODE.id();
            for (Ipv4 a : List.of(n.ip(), n.routerIp())) {
                wantCache.put(host(a), new IpCache.Entry(host(a), id, inet(n.ip())));
            }
            wantCache.put(host(n.healthIp()), new IpCache.Entry(host(n.healthIp()), ReservedIdentity.HEALTH.id(), inet(n.ip())));
        }
        for (PodSpec p : lab.pods()) {
            NodeSpec on = lab.node(p.node()).orElseThrow();
            wantCache.put(host(p.ip()), new IpCache.Entry(host(p.ip()), podIds.get(p.qualifiedName()).id(), inet(on.ip())));
        }
        for (IpCache.Entry e : wantCache.values()) {
            IpCache.put(mapOps.meter(datapath.ipcache()), e);
        }
        for (Cidr c : IpCache.all(mapOps.meter(datapath.ipcache())).keySet()) {
            if (!wantCache.containsKey(c)) {
                IpCache.remove(mapOps.meter(datapath.ipcache()), c);
            }
        }
        // endpoints: keep the ids the map holds, give new pods the smallest free ones
        Map<Inet4Address, EndpointMap.Entry> existing = EndpointMap.all(mapOps.meter(datapath.endpoints()));
        Set<Integer> used = new TreeSet<>();
        existing.values().forEach(e -> used.add(e.endpoint()));
        PolicyResolver resolver = new PolicyResolver(identities.all(), id -> namedPortsOf(id, podIds));
        Map<String, EndpointStatus> status = new LinkedHashMap<>();
        Set<Inet4Address> local = new LinkedHashSet<>();
        try (NetNamespace ns = NetNamespace.open(names.node(node.name()))) {
            for (PodSpec p : lab.pods()) {
                if (!p.node().equals(node.name())) {
                    continue;
                }
                Inet4Address ip = inet(p.ip());
                local.add(ip);
                EndpointMap.Entry old = existing.get(ip);
                int id = old != null ? old.endpoint() : smallestFree(used);
                used.add(id);
                String lxc = LabNames.lxc(p);
                Identity identity = podIds.get(p.qualifiedName());
                int ifindex = ns.ifindex(lxc);
                byte[] podMac;
                byte[] lxcMac;
                if (old != null && old.ifindex() == ifindex && !allZero(old.mac()) && !allZero(old.nodeMac())) {
                    // the same veth as when the entry was written: its MACs have not changed
                    podMac = old.mac();
                    lxcMac = old.nodeMac();
                } else {
                    try (NetNamespace podNs = NetNamespace.open(names.pod(p))) {
                        podMac = podNs.hardwareAddress(LabNames.POD_IF);
                    }
                    lxcMac = ns.hardwareAddress(lxc);
                }
                EndpointMap.put(mapOps.meter(datapath.endpoints()), new EndpointMap.Entry(ip, id, identity.id(), ifindex,
                        podMac, lxcMac));
                EndpointPolicy ep = resolver.resolve(identity.labels(), portsOf(p), policies);
                PolicyMap.sync(mapOps.meter(datapath.policy()), id, ep);
                boolean wasAttached = datapath.isAttached(lxc);
                datapath.attach(ns, lxc);
                String state = restoring && old != null && wasAttached ? "restored" : "ready";
                EndpointStatus prev = endpoints.get(p.qualifiedName());
                if (prev != null && prev.state().equals("restored")) {
                    state = "restored";
                }
                status.put(p.qualifiedName(), new EndpointStatus(id, p.name(), p.namespace(), ip, identity,
                        ep.isEnforced(io.jbpf.netpolicy.policy.Direction.INGRESS),
                        ep.isEnforced(io.jbpf.netpolicy.policy.Direction.EGRESS), state));
            }
        }
        for (EndpointMap.Entry gone : existing.values()) {
            if (!local.contains(gone.address())) {
                EndpointMap.remove(mapOps.meter(datapath.endpoints()), gone.address());
                PolicyMap.clear(mapOps.meter(datapath.policy()), gone.endpoint());
            }
        }
        endpoints = status;
        appliedRevision = revision;
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static int smallestFree(Set<Integer> used) {
        int id = 1;
        while (used.contains(id)) {
            id++;
        }
        return id;
    }

    private List<NamedPort> namedPortsOf(Identity id, Map<String, Identity> podIds) {
        for (PodSpec p : lab.pods()) {
            if (podIds.get(p.qualifiedName()).id() == id.id()) {
                return portsOf(p);
            }
        }
        return List.of();
    }

    private static List<NamedPort> portsOf(PodSpec p) {
        List<NamedPort> out = new ArrayList<>();
        p.ports().forEach(ps -> out.add(new NamedPort(ps.name(), Protocol.of(ps.protocol().toString()), ps.port())));
        return out;
    }

    private static Set<Cidr> cidrsOf(List<Policy> policies) {
        Set<Cidr> out = new LinkedHashSet<>();
        for (Policy p : policies) {
            for (PolicyRule r : p.rules()) {
                for (Peer peer : r.peers()) {
                    if (peer instanceof Peer.Cidrs c && c.cidr().isIpv4()) {
                        if (c.cidr().prefixLength() > 0) {
                            out.add(c.cidr());
                        }
                        out.addAll(c.except());
                    }
                }
            }
        }
        return out;
    }

    /** The identity labels of a pod: its labels, namespace and namespace labels, as last set ({@link LabelStore}). */
    public Labels labelsOf(PodSpec p) {
        Map<String, String> nsLabels = new HashMap<>();
        for (NamespaceSpec n : lab.namespaces()) {
            if (n.name().equals(p.namespace())) {
                nsLabels.putAll(n.labels());
            }
        }
        labels.namespace(p.namespace()).ifPresent(set -> {
            nsLabels.clear();
            nsLabels.putAll(set);
        });
        nsLabels.putIfAbsent("kubernetes.io/metadata.name", p.namespace());
        Map<String, String> podLabels = labels.pod(p.namespace(), p.name()).orElse(p.labels());
        return Labels.ofPod(p.namespace(), podLabels, nsLabels);
    }

    /**
     * Changes the labels of a pod ({@code kind} "pod", in {@code namespace}) or of a namespace
     * ({@code kind} "namespace"): {@code set} added or replaced, {@code remove} taken away; every
     * agent then re-evaluates identities and policy.
     *
     * @return the new cluster revision
     * @throws AgentException when there is no such pod or namespace
     */
    public long relabel(String kind, String namespace, String name, Map<String, String> set, List<String> remove) {
        Map<String, String> now = new LinkedHashMap<>();
        long rev;
        if (kind.equals("namespace")) {
            if (lab.pods().stream().noneMatch(p -> p.namespace().equals(name))
                    && lab.namespaces().stream().noneMatch(n -> n.name().equals(name))) {
                throw new AgentException("no namespace " + name + " in lab " + lab.name());
            }
            Optional<Map<String, String>> changed = labels.namespace(name);
            if (changed.isPresent()) {
                now.putAll(changed.get());
            } else {
                lab.namespaces().stream().filter(n -> n.name().equals(name)).forEach(n -> now.putAll(n.labels()));
            }
            now.putAll(set);
            remove.forEach(now::remove);
            rev = labels.setNamespace(name, now);
        } else {
            PodSpec pod = lab.pod(namespace + "/" + name).orElseThrow(
                    () -> new AgentException("no pod " + namespace + "/" + name + " in lab " + lab.name()));
            now.putAll(labels.pod(namespace, name).orElse(pod.labels()));
            now.putAll(set);
            remove.forEach(now::remove);
            rev = labels.setPod(namespace, name, now);
        }
        reconcile(false);
        return rev;
    }

    /** Labels changed after the lab came up. */
    public LabelStore labels() {
        return labels;
    }

    private static Cidr host(Ipv4 a) {
        return Cidr.host(inet(a));
    }

    private static Inet4Address inet(Ipv4 a) {
        try {
            return (Inet4Address) InetAddress.getByAddress(a.bytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The pod ({@code namespace/name}) with this address, or null. */
    private String podAt(Inet4Address a) {
        byte[] b = a.getAddress();
        return podNames.get((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
    }

    /** The flows this node's datapath reported. */
    public FlowObserver flows() {
        return flows;
    }

    /** The node this agent owns. */
    public NodeSpec node() {
        return node;
    }

    /** The lab. */
    public LabSpec lab() {
        return lab;
    }

    /** Where it keeps things. */
    public AgentConfig config() {
        return config;
    }

    /** The node's datapath. */
    public NodeDatapath datapath() {
        return datapath;
    }

    /** The node's BPF masquerade. */
    public NodeMasquerade masquerade() {
        return masquerade;
    }

    /** The ip-masq-agent config in force, and the file's last error if its contents were refused. */
    public MasqConfigFile masqConfig() {
        return masqFile;
    }

    /** The port of the agent's Prometheus endpoint, on the node's address inside its namespace. */
    public int metricsPort() {
        return metrics.port();
    }

    /** The node's cluster health: its responders, and the last probes of every node. */
    public ClusterHealth health() {
        return health;
    }

    /** The shared identities. */
    public IdentityAllocator identities() {
        return identities;
    }

    /** The policy store. */
    public PolicyStore policies() {
        return store;
    }

    /** The service store. */
    public ServiceStore services() {
        return serviceStore;
    }

    /** The service revision the node's service maps hold now (-1 before the first successful sync). */
    public long appliedServiceRevision() {
        return appliedServiceRevision;
    }

    /** How many services the last successful sync wrote. */
    public int appliedServices() {
        return appliedServices;
    }

    /** Why the last service sync failed, empty when it succeeded. */
    public String serviceError() {
        return serviceError;
    }

    /** The endpoints as of the last reconciliation, by {@code namespace/pod}. */
    public Map<String, EndpointStatus> endpoints() {
        return endpoints;
    }

    /** The policy revision the datapath holds now. */
    public long appliedRevision() {
        return appliedRevision;
    }

    /** The last reconciliation error, empty when the last one succeeded. */
    public String lastError() {
        return lastError;
    }

    /** When this agent started. */
    public Instant started() {
        return started;
    }

    /**
     * Stops the agent: the socket closes and the fds are released; the pinned datapath stays and
     * keeps judging traffic under the last policy.
     */
    @Override
    public void close() {
        closed = true;
        watcher.interrupt();
        try {
            watcher.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        health.close();
        flows.close();
        metrics.close();
        masquerade.close();
        datapath.close();
        closeQuietly(lock);
        closeQuietly(lockFile);
    }
}
