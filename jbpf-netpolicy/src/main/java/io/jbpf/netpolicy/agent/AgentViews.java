package io.jbpf.netpolicy.agent;

import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.datapath.EndpointMap;
import io.jbpf.netpolicy.datapath.IpCache;
import io.jbpf.netpolicy.datapath.PolicyMap;
import io.jbpf.netpolicy.identity.Identity;
import io.jbpf.netpolicy.identity.Label;
import io.jbpf.netpolicy.lab.LabNames;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.policy.PolicyKey;
import io.jbpf.netpolicy.policy.Verdict;
import io.jbpf.netpolicy.service.Backend;
import io.jbpf.netpolicy.service.BackendState;
import io.jbpf.netpolicy.service.FrontendKind;
import io.jbpf.netpolicy.service.ResolvedService;
import io.jbpf.netpolicy.service.ServiceFrontend;
import io.jbpf.netpolicy.service.ServiceMaps;
import java.net.Inet4Address;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The agent's answers as text, laid out as the matching {@code cilium} commands print theirs. */
final class AgentViews {
    private final Agent agent;

    AgentViews(Agent agent) {
        this.agent = agent;
    }

    String status(boolean verbose) {
        NodeSpec n = agent.node();
        int local = agent.endpoints().size();
        StringBuilder b = new StringBuilder();
        row(b, "KVStore:", "Disabled");
        row(b, "Kubernetes:", "Ok   lab " + agent.lab().name() + ", node " + n.name() + " (" + n.ip() + ")");
        row(b, "Host firewall:", "Disabled");
        row(b, "Routing:", "Network: Native   Host: " + agent.config().hostRouting().displayName());
        row(b, "KubeProxyReplacement:", "True   [" + LabNames.UNDERLAY_IF + " " + n.ip() + "] (algorithm "
                + agent.config().loadBalancing().algorithm().label()
                + (agent.config().loadBalancing().algorithm() == io.jbpf.netpolicy.service.LoadBalancing.Algorithm.MAGLEV
                        ? " table size " + agent.config().loadBalancing().maglevTableSize() : "")
                + ", " + agent.appliedServices() + " services, revision " + agent.appliedServiceRevision() + ")");
        String masq = "BPF (ip-masq-agent)   [" + LabNames.UNDERLAY_IF + "]   " + nativeRoutingCidr() + " ["
                + agent.masqConfig().current().effectiveCidrs().size() + " non-masquerade CIDRs]";
        masq += agent.masqConfig().lastError().map(e -> "   (config refused, the last good one holds: " + e.getMessage() + ")")
                .orElse("");
        row(b, "Masquerading:", masq);
        row(b, "IPAM:", "IPv4: " + (local + 2) + "/" + ((1 << (32 - n.podCidr().prefixLength())) - 2)
                + " allocated from " + n.podCidr());
        row(b, "Policy revision:", Long.toString(agent.appliedRevision()));
        List<String> failing = new ArrayList<>();
        if (!agent.lastError().isEmpty()) {
            failing.add("policy-sync: " + agent.lastError());
        }
        if (!agent.serviceError().isEmpty()) {
            failing.add("service-sync: " + agent.serviceError());
        }
        row(b, "Controllers:", (3 - failing.size()) + "/3 healthy"
                + (failing.isEmpty() ? "" : " (" + String.join("; ", failing) + ")"));
        row(b, "Datapath:", "TCX on " + local + " endpoint(s), maps pinned in " + agent.config().pinDir());
        row(b, "Metrics:", "http://" + n.ip() + ":" + agent.metricsPort() + "/metrics (in the node's namespace)");
        String pressure = AgentMetrics.pressureWarnings(agent);
        row(b, "BPF maps:", pressure.isEmpty() ? "OK (each below " + Math.round(AgentMetrics.PRESSURE_WARNING * 100)
                + "% of its capacity)" : "WARNING: " + pressure);
        HealthViews health = new HealthViews(agent.health());
        row(b, "Cluster health:", health.summary());
        b.append(health.table(verbose));
        row(b, "Uptime:", Duration.between(agent.started(), Instant.now()).toSeconds() + "s");
        if (verbose) {
            b.append("Allocated addresses:\n");
            agent.endpoints().values().forEach(e -> b.append("  ").append(e.ipv4().getHostAddress()).append(" (")
                    .append(e.namespace()).append('/').append(e.pod()).append(")\n"));
            b.append("  ").append(n.routerIp()).append(" (router)\n");
            b.append("  ").append(n.healthIp()).append(" (health)\n");
        }
        return b.toString();
    }

    /** The cluster's health as {@code cilium-health status} shows it. */
    String health() {
        return new HealthViews(agent.health()).status();
    }

    /** The smallest prefix covering every node's pod CIDR: what native routing carries unmasqueraded. */
    private String nativeRoutingCidr() {
        long lo = 0xffffffffL;
        long hi = 0;
        for (NodeSpec n : agent.lab().nodes()) {
            long first = n.podCidr().address(0).bits() & 0xffffffffL;
            long last = first + (1L << (32 - n.podCidr().prefixLength())) - 1;
            lo = Math.min(lo, first);
            hi = Math.max(hi, last);
        }
        int len = 32;
        while (len > 0 && (lo >>> (32 - len)) != (hi >>> (32 - len))) {
            len--;
        }
        long net = len == 0 ? 0 : lo & (0xffffffffL << (32 - len));
        return new io.jbpf.netpolicy.lab.Ipv4((int) net) + "/" + len;
    }

    /**
     * The frontends the node's service maps hold, as {@code cilium service list} prints them: the
     * reverse-NAT index as id, the type from the flags, the backends of the slots, then the
     * terminating backends of the matching stored service that the backend map still holds.
     */
    String serviceList() {
        Map<String, io.jbpf.core.map.KernelMap> maps = agent.datapath().serviceMaps();
        Map<Integer, ServiceMaps.BackendEntry> backends = ServiceMaps.backends(maps);
        List<ResolvedService> stored;
        try {
            stored = agent.services().services();
        } catch (RuntimeException e) {
            stored = List.of(); // the maps are still worth showing
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "Frontend", "Service Type", "Backend"});
        for (ServiceMaps.Entry e : sortedFrontends(maps)) {
            List<String> bes = new ArrayList<>();
            Set<Integer> shown = new HashSet<>();
            for (int id : e.backendIds()) {
                ServiceMaps.BackendEntry be = backends.get(id);
                shown.add(id);
                bes.add(be == null ? "backend " + id + " (missing)" : backendText(be));
            }
            for (Backend sb : storedBackends(stored, e)) {
                if (sb.state() != BackendState.TERMINATING) {
                    continue;
                }
                for (ServiceMaps.BackendEntry be : backends.values()) {
                    if (be.address().equals(sb.address()) && be.port() == sb.port()
                            && be.protocol() == sb.protocol().number() && shown.add(be.id())) {
                        bes.add(be.address() + ":" + be.port() + "/" + proto(be.protocol()) + " (terminating)");
                    }
                }
            }
            String fe = e.address() + ":" + e.port() + "/" + proto(e.protocol());
            if (bes.isEmpty()) {
                rows.add(new String[] {Integer.toString(e.revNatIndex()), fe, serviceType(e), ""});
            }
            for (int i = 0; i < bes.size(); i++) {
                boolean first = i == 0;
                rows.add(new String[] {first ? Integer.toString(e.revNatIndex()) : "", first ? fe : "",
                    first ? serviceType(e) : "", (i + 1) + " => " + bes.get(i)});
            }
        }
        return table(rows);
    }

    /** The raw service map, as {@code cilium bpf lb list}: each frontend's slot 0, then slot by slot its backend. */
    String bpfLbList() {
        Map<String, io.jbpf.core.map.KernelMap> maps = agent.datapath().serviceMaps();
        Map<Integer, ServiceMaps.BackendEntry> backends = ServiceMaps.backends(maps);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"SERVICE ADDRESS", "BACKEND ADDRESS (REVNAT_ID) (SLOT)"});
        for (ServiceMaps.Entry e : sortedFrontends(maps)) {
            String fe = e.address() + ":" + e.port() + "/" + proto(e.protocol());
            List<String> notes = new ArrayList<>(List.of(serviceType(e)));
            if ((e.flags() & ServiceMaps.SERVICE_AFFINITY) != 0) {
                notes.add("sessionAffinity " + e.affinityTimeout() + "s");
            }
            if ((e.flags2() & ServiceMaps.SERVICE2_MAGLEV) != 0) {
                notes.add("maglev");
            }
            rows.add(new String[] {fe + " (0)", "0.0.0.0:0 (" + e.revNatIndex() + ") (0) [" + String.join(", ", notes) + "]"});
            for (int slot = 1; slot <= e.backendIds().size(); slot++) {
                int id = e.backendIds().get(slot - 1);
                ServiceMaps.BackendEntry be = backends.get(id);
                String target = be == null ? "backend " + id + " missing" : be.address() + ":" + be.port() + "/"
                        + proto(be.protocol());
                rows.add(new String[] {fe + " (" + slot + ")", target + " (" + e.revNatIndex() + ") (" + slot + ")"
                        + " backend " + id + (be != null && be.terminating() ? " terminating" : "")});
            }
        }
        return table(rows);
    }

    private static List<ServiceMaps.Entry> sortedFrontends(Map<String, io.jbpf.core.map.KernelMap> maps) {
        List<ServiceMaps.Entry> all = new ArrayList<>(ServiceMaps.frontends(maps));
        all.sort(Comparator.comparingInt(ServiceMaps.Entry::revNatIndex));
        return all;
    }

    private static String backendText(ServiceMaps.BackendEntry be) {
        return be.address() + ":" + be.port() + "/" + proto(be.protocol()) + (be.terminating() ? " (terminating)" : " (active)");
    }

    /** {@code NodePort}, {@code ExternalIPs} or {@code ClusterIP}, from a frontend's flags. */
    static String serviceType(ServiceMaps.Entry e) {
        if ((e.flags() & ServiceMaps.SERVICE_NODE_PORT) != 0) {
            return "NodePort";
        }
        return (e.flags() & ServiceMaps.SERVICE_EXTERNAL_IP) != 0 ? "ExternalIPs" : "ClusterIP";
    }

    /** The backends the stored services give the frontend {@code e} of the maps. */
    private static List<Backend> storedBackends(List<ResolvedService> stored, ServiceMaps.Entry e) {
        List<Backend> out = new ArrayList<>();
        for (ResolvedService rs : stored) {
            for (ServiceFrontend sf : rs.frontends()) {
                var f = sf.frontend();
                boolean nodePort = (e.flags() & ServiceMaps.SERVICE_NODE_PORT) != 0;
                if (f.port() == e.port() && f.protocol().number() == e.protocol()
                        && (nodePort ? f.kind() == FrontendKind.NODE_PORT : f.address().equals(e.address()))) {
                    out.addAll(sf.backends());
                }
            }
        }
        return out;
    }

    String bpfNatList() {
        StringBuilder b = new StringBuilder();
        for (io.jbpf.netpolicy.datapath.NodeMasquerade.Translation t : agent.masquerade().translations()) {
            b.append(t).append('\n');
        }
        return b.toString();
    }

    private static void row(StringBuilder b, String key, String value) {
        b.append(String.format("%-24s%s%n", key, value));
    }

    String endpointList() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ENDPOINT", "POLICY (ingress)", "POLICY (egress)", "IDENTITY", "LABELS (source:key[=value])",
            "IPv4", "STATUS"});
        for (Agent.EndpointStatus e : agent.endpoints().values()) {
            List<String> labels = new ArrayList<>();
            for (Label l : e.identity().labels()) {
                if (!l.key().startsWith(Label.NAMESPACE_LABELS_PREFIX)) {
                    labels.add(l.toString());
                }
            }
            for (int i = 0; i < Math.max(1, labels.size()); i++) {
                boolean first = i == 0;
                rows.add(new String[] {first ? Integer.toString(e.id()) : "", first ? onOff(e.ingressEnforced()) : "",
                    first ? onOff(e.egressEnforced()) : "", first ? Integer.toString(e.identity().id()) : "",
                    labels.isEmpty() ? "" : labels.get(i), first ? e.ipv4().getHostAddress() : "", first ? e.state() : ""});
            }
        }
        return table(rows);
    }

    private static String onOff(boolean enforced) {
        return enforced ? "Enabled" : "Disabled";
    }

    String identityList() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ID", "LABELS"});
        for (Identity i : agent.identities().all()) {
            boolean first = true;
            for (Label l : i.labels()) {
                if (l.key().startsWith(Label.NAMESPACE_LABELS_PREFIX) || (l.source().equals(Label.CIDR) && !first)) {
                    continue;
                }
                rows.add(new String[] {first ? Integer.toString(i.id()) : "", l.toString()});
                first = false;
            }
        }
        return table(rows);
    }

    String policyGet() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : agent.policies().documents().entrySet()) {
            b.append("# ").append(e.getKey()).append('\n').append(e.getValue().stripTrailing()).append("\n---\n");
        }
        b.append("Revision: ").append(agent.policies().revision()).append('\n');
        return b.toString();
    }

    String bpfEndpointList() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IP ADDRESS", "LOCAL ENDPOINT INFO"});
        for (Map.Entry<Inet4Address, EndpointMap.Entry> e : EndpointMap.all(agent.datapath().endpoints()).entrySet()) {
            EndpointMap.Entry v = e.getValue();
            rows.add(new String[] {e.getKey().getHostAddress() + ":0",
                "id=" + v.endpoint() + " sec_id=" + v.identity() + " ifindex=" + v.ifindex() + " mac=" + mac(v.mac())
                        + " nodemac=" + mac(v.nodeMac())});
        }
        return table(rows);
    }

    private static String mac(byte[] mac) {
        return java.util.HexFormat.ofDelimiter(":").withUpperCase().formatHex(mac);
    }

    String bpfIpcacheList() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"IP PREFIX/ADDRESS", "IDENTITY"});
        for (Map.Entry<Cidr, IpCache.Entry> e : IpCache.all(agent.datapath().ipcache()).entrySet()) {
            IpCache.Entry v = e.getValue();
            rows.add(new String[] {e.getKey().toString(), "identity=" + v.identity() + " encryptkey=0 tunnelendpoint="
                    + (v.node() == null ? "0.0.0.0" : v.node().getHostAddress())});
        }
        return table(rows);
    }

    /** The node's datapath maps, as {@code cilium map list} shows them: name, type, entries, capacity. */
    String mapList() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "Type", "Num entries", "Max entries"});
        for (io.jbpf.core.map.KernelMap m : datapathMaps().values()) {
            String entries = m.spec().type() == io.jbpf.core.map.MapType.RINGBUF ? "-" : Integer.toString(count(m));
            rows.add(new String[] {m.spec().name(), m.spec().type().name(), entries, Integer.toString(m.spec().maxEntries())});
        }
        return table(rows);
    }

    /** One datapath map's entries, as {@code cilium map get NAME} shows them. */
    String mapGet(String name) {
        var dp = agent.datapath();
        switch (name) {
            case io.jbpf.netpolicy.datapath.DatapathPrograms.ENDPOINTS:
                return bpfEndpointList();
            case io.jbpf.netpolicy.datapath.DatapathPrograms.IPCACHE:
                return bpfIpcacheList();
            case io.jbpf.netpolicy.datapath.DatapathPrograms.CONNTRACK:
                return String.join("\n", io.jbpf.netpolicy.conntrack.ConntrackMap.describe(dp.conntrack(), System.nanoTime())) + "\n";
            case io.jbpf.netpolicy.datapath.DatapathPrograms.POLICY: {
                StringBuilder b = new StringBuilder();
                for (Agent.EndpointStatus e : agent.endpoints().values()) {
                    b.append("endpoint ").append(e.id()).append(" (").append(e.namespace()).append('/').append(e.pod()).append(")\n")
                            .append(bpfPolicyGet(e.id()));
                }
                return b.toString();
            }
            case io.jbpf.netpolicy.datapath.DatapathPrograms.COUNTERS: {
                List<String[]> rows = new ArrayList<>();
                rows.add(new String[] {"ENDPOINT", "DIRECTION", "REASON", "PACKETS", "BYTES"});
                io.jbpf.netpolicy.datapath.Counters.read(dp.counters()).forEach((k, v) -> rows.add(new String[] {
                    Integer.toString(k.endpoint()), k.direction().name(),
                    k.reason() == 0 ? "Forwarded" : io.jbpf.netpolicy.datapath.FlowEvents.reasonText(k.reason()),
                    Long.toString(v.packets()), Long.toString(v.bytes())}));
                return table(rows);
            }
            case ServiceMaps.SERVICES:
            case ServiceMaps.BACKENDS:
            case ServiceMaps.REVERSE_NAT:
            case ServiceMaps.MAGLEV:
                return bpfLbList();
            case ServiceMaps.CONNTRACK: {
                StringBuilder b = new StringBuilder();
                ServiceMaps.connections(dp.serviceMaps()).forEach(c -> b.append(c).append('\n'));
                return b.toString();
            }
            case ServiceMaps.AFFINITY:
                return "the ClientIP affinity table the datapath writes: " + count(dp.serviceMaps().get(ServiceMaps.AFFINITY))
                        + " entries\n";
            case io.jbpf.netpolicy.datapath.DatapathPrograms.EVENTS:
                return "a ring buffer of flow events: read it with jbpf observe\n";
            default:
                throw new AgentException("node " + agent.node().name() + " has no datapath map '" + name + "' (maps: "
                        + String.join(", ", datapathMaps().keySet()) + ")");
        }
    }

    private Map<String, io.jbpf.core.map.KernelMap> datapathMaps() {
        return datapathMaps(agent);
    }

    /** The node's datapath maps by name: the policy datapath's and the masquerade's. */
    static Map<String, io.jbpf.core.map.KernelMap> datapathMaps(Agent agent) {
        var dp = agent.datapath();
        var masq = agent.masquerade();
        Map<String, io.jbpf.core.map.KernelMap> out = new java.util.LinkedHashMap<>();
        for (io.jbpf.core.map.KernelMap m : List.of(dp.endpoints(), dp.ipcache(), dp.policy(), dp.conntrack(), dp.counters(),
                dp.events(), masq.forward(), masq.reverse(), masq.nonMasquerade())) {
            out.put(m.spec().name(), m);
        }
        out.putAll(dp.serviceMaps());
        return out;
    }

    /** How many entries a (hash-like) map holds now. */
    static int count(io.jbpf.core.map.KernelMap m) {
        int n = 0;
        byte[] cur = null;
        byte[] next = new byte[m.spec().keySize()];
        while (m.nextKey(cur, next)) {
            n++;
            cur = next.clone();
        }
        return n;
    }

    String bpfPolicyGet(int endpoint) {
        Map<PolicyKey, Verdict> entries = PolicyMap.read(agent.datapath().policy(), endpoint);
        if (entries.isEmpty() && agent.endpoints().values().stream().noneMatch(e -> e.id() == endpoint)) {
            throw new AgentException("no endpoint " + endpoint + " on node " + agent.node().name());
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"POLICY", "DIRECTION", "IDENTITY", "PORT/PROTO", "LABELS (source:key[=value])"});
        for (Map.Entry<PolicyKey, Verdict> e : entries.entrySet()) {
            PolicyKey k = e.getKey();
            String labels = k.identity() == 0 ? "reserved:unknown (any)" : agent.identities().lookup(k.identity())
                    .map(i -> i.labels().toString()).orElse("");
            String port = k.protocol() == 0 ? "ANY" : (k.portBits() == 0 ? "ANY" : k.portBits() == 16 ? Integer.toString(k.port())
                    : k.port() + "-" + k.endPort()) + "/" + proto(k.protocol());
            rows.add(new String[] {e.getValue() == Verdict.ALLOW ? "Allow" : "Deny",
                k.direction() == io.jbpf.netpolicy.policy.Direction.INGRESS ? "Ingress" : "Egress",
                Integer.toString(k.identity()), port, labels});
        }
        return table(rows);
    }

    private static String proto(int p) {
        switch (p) {
            case 6:
                return "TCP";
            case 17:
                return "UDP";
            case 132:
                return "SCTP";
            case 1:
                return "ICMP";
            default:
                return Integer.toString(p);
        }
    }

    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < cols; i++) {
                line.append(i == cols - 1 ? r[i] : String.format("%-" + (w[i] + 3) + "s", r[i]));
            }
            b.append(line.toString().stripTrailing()).append('\n');
        }
        return b.toString();
    }
}
