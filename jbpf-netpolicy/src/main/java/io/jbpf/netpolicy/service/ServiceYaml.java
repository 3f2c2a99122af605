package io.jbpf.netpolicy.service;

import io.jbpf.netpolicy.internal.yaml.YamlFieldException;
import io.jbpf.netpolicy.internal.yaml.YamlMap;
import io.jbpf.netpolicy.internal.yaml.YamlNode;
import io.jbpf.netpolicy.internal.yaml.YamlTrees;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.policy.Protocol;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads Kubernetes {@code Service} (v1) and {@code EndpointSlice} (discovery.k8s.io/v1) documents,
 * as {@code kubectl get svc,endpointslices -o yaml} writes them (separate documents or the items of
 * a v1 {@code List}), and resolves them into {@link ResolvedService}s. What it decides:
 * <ul>
 * <li>Types ClusterIP, NodePort and LoadBalancer (handled as NodePort); ExternalName is refused.
 * jbpf allocates nothing: a service needs its {@code clusterIP} and, for NodePort/LoadBalancer,
 * every port its {@code nodePort} (30000–32767), as the API server would have filled them in.</li>
 * <li>{@code clusterIP: None} is a headless service: it is kept, but has no frontend (no node
 * ports, no external IPs allowed).</li>
 * <li>IPv4 single stack only ({@code clusterIPs} may repeat the cluster IP; {@code ipFamilies} must
 * be IPv4; slices must have {@code addressType: IPv4}).</li>
 * <li>Ports: protocol TCP (default), UDP or SCTP; a service with several ports names each one,
 * uniquely; {@code targetPort} is a number or a container port name, the port itself by default.</li>
 * <li>{@code sessionAffinity: ClientIP} with {@code sessionAffinityConfig.clientIP.timeoutSeconds}
 * (default 10800, at most 86400); {@code externalTrafficPolicy}/{@code internalTrafficPolicy}
 * Cluster (default) or Local.</li>
 * <li>A slice belongs to the service its label {@code kubernetes.io/service-name} names, in the
 * slice's namespace; that service must be in the same input, otherwise the input is refused (import
 * a service together with its slices). A backend's port is the slice port with the service port's
 * name and protocol; without one, a numbered {@code targetPort}; a named target port with no
 * matching slice port gives that slice no backends for that port.</li>
 * <li>An endpoint's first address is its backend address; ready endpoints are active, not-ready
 * terminating ones still serving are terminating (no new connections), others are no backend (see
 * {@link Endpoint#backendState()}). The same address
 * and port from two slices is one backend (active wins).</li>
 * <li>{@code publishNotReadyAddresses}, {@code allocateLoadBalancerNodePorts}, {@code healthCheckNodePort},
 * {@code loadBalancerIP}, {@code loadBalancerClass}, {@code trafficDistribution}, {@code appProtocol}
 * and {@code status} are accepted and change nothing here (the EndpointSlice controller has already
 * applied {@code publishNotReadyAddresses} to the endpoints' conditions);
 * {@code loadBalancerSourceRanges} is refused rather than silently not enforced.</li>
 * <li>Two frontends with the same address, port and protocol anywhere in the input are refused, as
 * are two services or two slices with the same namespace and name.</li>
 * </ul>
 * Unknown fields are refused; every error is an {@link InvalidServiceException} naming the field,
 * line and column. An input is taken whole or not at all. Parsing only: no syscall.
 */
public final class ServiceYaml {
    private static final String NAME = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";

    private ServiceYaml() {}

    /** A parsed service with where its parts were written. */
    private record Parsed(Service service, YamlNode at, List<YamlNode> portNodes, List<YamlNode> externalIpNodes) {}

    /** A parsed slice with where its service label was written. */
    private record ParsedSlice(EndpointSlice slice, YamlNode at, YamlNode serviceLabel) {}

    /**
     * The services of every document of {@code text}, in input order, resolved with their slices.
     *
     * @throws InvalidServiceException naming the first wrong field
     */
    public static List<ResolvedService> parse(String text) {
        try {
            Map<String, Parsed> services = new LinkedHashMap<>();
            Map<String, ParsedSlice> slices = new LinkedHashMap<>();
            for (YamlNode doc : YamlTrees.parseAll(text)) {
                document(YamlMap.of(doc), services, slices, true);
            }
            return resolve(services, slices);
        } catch (YamlFieldException e) {
            throw new InvalidServiceException(e.field(), e.line(), e.column(), e.getMessage());
        }
    }

    private static void document(YamlMap doc, Map<String, Parsed> services, Map<String, ParsedSlice> slices, boolean listAllowed) {
        String apiVersion = doc.requiredString("apiVersion");
        String kind = doc.requiredString("kind");
        if (listAllowed && kind.equals("List") && apiVersion.equals("v1")) {
            for (YamlNode item : doc.list("items")) {
                document(YamlMap.of(item), services, slices, false);
            }
            doc.field("metadata");
            doc.noOtherFields();
            return;
        }
        YamlMap meta = doc.map("metadata");
        String name = meta.requiredParsed("name", ServiceYaml::objectName);
        String namespace = meta.parsed("namespace", ServiceYaml::objectName).orElse("default");
        Map<String, String> labels = meta.stringMap("labels");
        for (String ignored : List.of("annotations", "uid", "resourceVersion", "generation", "creationTimestamp",
                "generateName", "ownerReferences", "managedFields", "finalizers")) {
            meta.field(ignored);
        }
        meta.noOtherFields();
        if (kind.equals("Service") && apiVersion.equals("v1")) {
            Parsed p = service(namespace, name, doc);
            if (services.putIfAbsent(p.service().qualifiedName(), p) != null) {
                throw fail(meta.required("name"), "service " + p.service().qualifiedName() + " is given twice");
            }
        } else if (kind.equals("EndpointSlice") && apiVersion.equals("discovery.k8s.io/v1")) {
            YamlNode label = meta.map("labels").field(EndpointSlice.SERVICE_NAME_LABEL).orElseThrow(() -> fail(meta.node(),
                    "an EndpointSlice needs the label " + EndpointSlice.SERVICE_NAME_LABEL + " naming its service"));
            String service = labels.get(EndpointSlice.SERVICE_NAME_LABEL);
            YamlMap.convert(label, ServiceYaml::objectName);
            EndpointSlice s = slice(namespace, name, service, doc);
            if (slices.putIfAbsent(s.qualifiedName(), new ParsedSlice(s, doc.node(), label)) != null) {
                throw fail(meta.required("name"), "EndpointSlice " + s.qualifiedName() + " is given twice");
            }
        } else {
            throw fail(doc.required("kind"), "unsupported kind " + kind + " of " + apiVersion
                    + " (Service of v1, EndpointSlice of discovery.k8s.io/v1, or a v1 List of them)");
        }
        doc.field("status");
        doc.noOtherFields();
    }

    // ---- Service ---------------------------------------------------------------------------------

    private static Parsed service(String namespace, String name, YamlMap doc) {
        YamlMap spec = doc.map("spec");
        ServiceType type = spec.parsed("type", ServiceYaml::type).orElse(ServiceType.CLUSTER_IP);
        Optional<YamlNode> ipNode = spec.field("clusterIP").filter(n -> !YamlMap.text(n).isEmpty());
        List<YamlNode> ips = spec.list("clusterIPs");
        if (ips.size() > 1) {
            throw fail(ips.get(1), "only IPv4 single-stack services are supported (one cluster IP)");
        }
        if (ipNode.isPresent() && !ips.isEmpty() && !YamlMap.text(ips.get(0)).equals(YamlMap.text(ipNode.get()))) {
            throw fail(ips.get(0), "clusterIPs[0] must be clusterIP (" + YamlMap.text(ipNode.get()) + ")");
        }
        if (ipNode.isEmpty() && !ips.isEmpty()) {
            ipNode = Optional.of(ips.get(0));
        }
        if (ipNode.isEmpty()) {
            throw fail(spec.node(), "spec.clusterIP is missing: jbpf does not allocate cluster IPs (give the address,"
                    + " or None for a headless service)");
        }
        boolean headless = YamlMap.text(ipNode.get()).equals("None");
        Optional<Ipv4> clusterIp = headless ? Optional.empty() : Optional.of(YamlMap.convert(ipNode.get(), ServiceYaml::ipv4));
        if (headless && type != ServiceType.CLUSTER_IP) {
            throw fail(ipNode.get(), "a headless service (clusterIP None) must be of type ClusterIP");
        }
        for (YamlNode f : spec.list("ipFamilies")) {
            if (!YamlMap.text(f).equals("IPv4")) {
                throw fail(f, "only IPv4 is supported, not '" + YamlMap.text(f) + "'");
            }
        }
        spec.field("ipFamilyPolicy").ifPresent(n -> {
            if (YamlMap.text(n).equals("RequireDualStack")) {
                throw fail(n, "only IPv4 single-stack services are supported");
            }
        });

        List<YamlNode> portNodes = spec.list("ports");
        if (portNodes.isEmpty() && !headless) {
            throw fail(spec.node(), "spec.ports is missing: a service with a cluster IP needs at least one port");
        }
        List<ServicePort> ports = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (YamlNode pn : portNodes) {
            ServicePort sp = port(YamlMap.of(pn), type, portNodes.size() > 1);
            if (!sp.name().isEmpty() && !names.add(sp.name())) {
                throw fail(pn, "port name '" + sp.name() + "' is used twice");
            }
            for (ServicePort other : ports) {
                if (other.port() == sp.port() && other.protocol() == sp.protocol()) {
                    throw fail(pn, "port " + sp.port() + "/" + sp.protocol() + " is given twice");
                }
                if (sp.nodePort() != 0 && other.nodePort() == sp.nodePort() && other.protocol() == sp.protocol()) {
                    throw fail(pn, "nodePort " + sp.nodePort() + "/" + sp.protocol() + " is given twice");
                }
            }
            ports.add(sp);
        }

        List<YamlNode> externalNodes = spec.list("externalIPs");
        List<Ipv4> externalIps = new ArrayList<>();
        for (YamlNode n : externalNodes) {
            if (headless) {
                throw fail(n, "a headless service (clusterIP None) cannot have externalIPs");
            }
            externalIps.add(YamlMap.convert(n, ServiceYaml::ipv4));
        }

        boolean clientIp = spec.parsed("sessionAffinity", ServiceYaml::affinity).orElse(false);
        SessionAffinity affinity = SessionAffinity.NONE;
        Optional<YamlNode> config = spec.field("sessionAffinityConfig");
        if (config.isPresent() && !clientIp) {
            throw fail(config.get(), "sessionAffinityConfig needs sessionAffinity ClientIP");
        }
        if (clientIp) {
            YamlMap cfg = spec.map("sessionAffinityConfig");
            YamlMap client = cfg.map("clientIP");
            Optional<YamlNode> t = client.field("timeoutSeconds");
            int timeout = client.integer("timeoutSeconds").orElse(SessionAffinity.DEFAULT_TIMEOUT_SECONDS);
            try {
                affinity = SessionAffinity.clientIp(timeout);
            } catch (IllegalArgumentException e) {
                throw fail(t.orElse(client.node()), e.getMessage());
            }
            client.noOtherFields();
            cfg.noOtherFields();
        }
        TrafficPolicy external = spec.parsed("externalTrafficPolicy", ServiceYaml::trafficPolicy).orElse(TrafficPolicy.CLUSTER);
        TrafficPolicy internal = spec.parsed("internalTrafficPolicy", ServiceYaml::trafficPolicy).orElse(TrafficPolicy.CLUSTER);
        Map<String, String> selector = spec.stringMap("selector");
        for (String ignored : List.of("publishNotReadyAddresses", "allocateLoadBalancerNodePorts", "healthCheckNodePort",
                "loadBalancerIP", "loadBalancerClass", "trafficDistribution")) {
            spec.field(ignored);
        }
        for (String unsupported : List.of("loadBalancerSourceRanges", "externalName")) {
            spec.field(unsupported).ifPresent(n -> {
                throw fail(n, unsupported + " is not supported by jbpf");
            });
        }
        spec.noOtherFields();
        Service s = new Service(namespace, name, type, clusterIp, ports, externalIps, affinity, external, internal, selector);
        return new Parsed(s, doc.node(), portNodes, externalNodes);
    }

    private static ServicePort port(YamlMap p, ServiceType type, boolean several) {
        String name = p.parsed("name", ServiceYaml::portName).orElse("");
        if (several && name.isEmpty()) {
            throw fail(p.node(), "a service with several ports must name each of them");
        }
        Protocol protocol = p.parsed("protocol", ServiceYaml::l4Protocol).orElse(Protocol.TCP);
        int port = p.requiredParsed("port", s -> number(s, "port", 1, 65535));
        TargetPort target = p.parsed("targetPort", ServiceYaml::targetPort).orElse(TargetPort.of(port));
        Optional<YamlNode> nodePortNode = p.field("nodePort");
        int nodePort = p.parsed("nodePort", s -> number(s, "nodePort", ServicePort.NODE_PORT_MIN, ServicePort.NODE_PORT_MAX))
                .orElse(0);
        if (nodePortNode.isPresent() && !type.hasNodePorts()) {
            throw fail(nodePortNode.get(), "nodePort needs type NodePort or LoadBalancer");
        }
        if (nodePortNode.isEmpty() && type.hasNodePorts()) {
            throw fail(p.node(), "nodePort is missing: jbpf does not allocate node ports (give one in "
                    + ServicePort.NODE_PORT_MIN + "-" + ServicePort.NODE_PORT_MAX + ")");
        }
        p.field("appProtocol");
        p.noOtherFields();
        return new ServicePort(name, protocol, port, target, nodePort);
    }

    // ---- EndpointSlice ---------------------------------------------------------------------------

    private static EndpointSlice slice(String namespace, String name, String service, YamlMap doc) {
        String addressType = doc.requiredString("addressType");
        if (!addressType.equals("IPv4")) {
            throw fail(doc.required("addressType"), "only addressType IPv4 is supported, not '" + addressType + "'");
        }
        List<Endpoint> endpoints = new ArrayList<>();
        for (YamlNode en : doc.list("endpoints")) {
            endpoints.add(endpoint(YamlMap.of(en)));
        }
        List<EndpointPort> ports = new ArrayList<>();
        for (YamlNode pn : doc.list("ports")) {
            YamlMap p = YamlMap.of(pn);
            String portName = p.parsed("name", s -> s.isEmpty() ? s : portName(s)).orElse("");
            Protocol protocol = p.parsed("protocol", ServiceYaml::l4Protocol).orElse(Protocol.TCP);
            Optional<YamlNode> portNode = p.field("port");
            if (portNode.isEmpty()) {
                throw fail(pn, "port is missing (a slice port without a number, meaning every port, is not supported)");
            }
            int port = p.requiredParsed("port", s -> number(s, "port", 1, 65535));
            p.field("appProtocol");
            p.noOtherFields();
            for (EndpointPort other : ports) {
                if (other.name().equals(portName) && other.protocol() == protocol) {
                    throw fail(pn, "slice port '" + portName + "'/" + protocol + " is given twice");
                }
            }
            ports.add(new EndpointPort(portName, protocol, port));
        }
        return new EndpointSlice(namespace, name, service, endpoints, ports);
    }

    private static Endpoint endpoint(YamlMap e) {
        List<YamlNode> addrNodes = e.list("addresses");
        if (addrNodes.isEmpty()) {
            throw fail(e.node(), "an endpoint needs at least one address");
        }
        List<Ipv4> addresses = new ArrayList<>();
        for (YamlNode a : addrNodes) {
            addresses.add(YamlMap.convert(a, ServiceYaml::ipv4));
        }
        YamlMap c = e.map("conditions");
        boolean ready = c.parsed("ready", ServiceYaml::bool).orElse(true);
        boolean serving = c.parsed("serving", ServiceYaml::bool).orElse(true);
        boolean terminating = c.parsed("terminating", ServiceYaml::bool).orElse(false);
        c.noOtherFields();
        Optional<String> node = e.parsed("nodeName", ServiceYaml::objectName);
        Optional<String> pod = Optional.empty();
        if (e.field("targetRef").isPresent()) {
            YamlMap ref = e.map("targetRef");
            String kind = ref.string("kind").orElse("Pod");
            String refName = ref.requiredParsed("name", ServiceYaml::objectName);
            if (kind.equals("Pod")) {
                pod = Optional.of(refName);
            }
            for (String ignored : List.of("namespace", "uid", "resourceVersion", "apiVersion", "fieldPath")) {
                ref.field(ignored);
            }
            ref.noOtherFields();
        }
        for (String ignored : List.of("hostname", "zone", "hints", "deprecatedTopology")) {
            e.field(ignored);
        }
        e.noOtherFields();
        return new Endpoint(addresses, ready, serving, terminating, node, pod);
    }

    // ---- resolution ------------------------------------------------------------------------------

    private static List<ResolvedService> resolve(Map<String, Parsed> services, Map<String, ParsedSlice> slices) {
        Map<String, List<EndpointSlice>> byService = new HashMap<>();
        for (ParsedSlice ps : slices.values()) {
            String key = ps.slice().namespace() + "/" + ps.slice().serviceName();
            if (!services.containsKey(key)) {
                throw fail(ps.serviceLabel(), "EndpointSlice " + ps.slice().qualifiedName() + " is for service " + key
                        + ", which is not in this input (import a service together with its EndpointSlices)");
            }
            byService.computeIfAbsent(key, k -> new ArrayList<>()).add(ps.slice());
        }
        Map<Key, String> taken = new HashMap<>();
        List<ResolvedService> out = new ArrayList<>();
        for (Parsed p : services.values()) {
            Service s = p.service();
            List<EndpointSlice> mine = byService.getOrDefault(s.qualifiedName(), List.of());
            List<ServiceFrontend> frontends = new ArrayList<>();
            for (int i = 0; i < s.ports().size() && !s.isHeadless(); i++) {
                ServicePort sp = s.ports().get(i);
                YamlNode at = p.portNodes().get(i);
                List<Backend> backends = backends(sp, mine);
                frontends.add(claim(taken, s, at, new ServiceFrontend(
                        new Frontend(s.clusterIp().get(), sp.port(), sp.protocol(), FrontendKind.CLUSTER_IP),
                        sp.name(), s.internalTrafficPolicy(), backends)));
                if (sp.nodePort() != 0) {
                    frontends.add(claim(taken, s, at, new ServiceFrontend(
                            new Frontend(Frontend.ANY_NODE, sp.nodePort(), sp.protocol(), FrontendKind.NODE_PORT),
                            sp.name(), s.externalTrafficPolicy(), backends)));
                }
                for (int j = 0; j < s.externalIps().size(); j++) {
                    frontends.add(claim(taken, s, p.externalIpNodes().get(j), new ServiceFrontend(
                            new Frontend(s.externalIps().get(j), sp.port(), sp.protocol(), FrontendKind.EXTERNAL_IP),
                            sp.name(), s.externalTrafficPolicy(), backends)));
                }
            }
            out.add(new ResolvedService(s, mine, frontends));
        }
        return out;
    }

    /** A frontend's identity: address, port and protocol (the kind does not make two frontends different). */
    private record Key(Ipv4 address, int port, Protocol protocol) {}

    private static ServiceFrontend claim(Map<Key, String> taken, Service s, YamlNode at, ServiceFrontend f) {
        Frontend fe = f.frontend();
        String owner = taken.putIfAbsent(new Key(fe.address(), fe.port(), fe.protocol()),
                "service " + s.qualifiedName() + " (line " + at.line() + ")");
        if (owner != null) {
            throw fail(at, "frontend " + fe + " is already taken by " + owner);
        }
        return f;
    }

    private static List<Backend> backends(ServicePort sp, List<EndpointSlice> slices) {
        Map<String, Backend> out = new LinkedHashMap<>();
        for (EndpointSlice slice : slices) {
            Optional<Integer> port = slice.ports().stream()
                    .filter(ep -> ep.name().equals(sp.name()) && ep.protocol() == sp.protocol())
                    .map(EndpointPort::port)
                    .findFirst();
            if (port.isEmpty() && !sp.targetPort().isNamed()) {
                port = Optional.of(sp.targetPort().number());
            }
            if (port.isEmpty()) {
                continue;
            }
            for (Endpoint e : slice.endpoints()) {
                Optional<BackendState> state = e.backendState();
                if (state.isEmpty()) {
                    continue;
                }
                Backend b = new Backend(e.addresses().get(0), port.get(), sp.protocol(), state.get(), e.nodeName(), e.podName());
                String key = b.address() + ":" + b.port();
                Backend old = out.get(key);
                if (old == null || (old.state() != BackendState.ACTIVE && b.state() == BackendState.ACTIVE)) {
                    out.put(key, b);
                }
            }
        }
        return new ArrayList<>(out.values());
    }

    // ---- scalars ---------------------------------------------------------------------------------

    private static ServiceType type(String s) {
        switch (s) {
            case "ClusterIP":
                return ServiceType.CLUSTER_IP;
            case "NodePort":
                return ServiceType.NODE_PORT;
            case "LoadBalancer":
                return ServiceType.LOAD_BALANCER;
            case "ExternalName":
                throw new IllegalArgumentException("type ExternalName is not load-balanced and not supported by jbpf");
            default:
                throw new IllegalArgumentException("type is ClusterIP, NodePort or LoadBalancer, not '" + s + "'");
        }
    }

    private static boolean affinity(String s) {
        switch (s) {
            case "None":
                return false;
            case "ClientIP":
                return true;
            default:
                throw new IllegalArgumentException("sessionAffinity is None or ClientIP, not '" + s + "'");
        }
    }

    private static TrafficPolicy trafficPolicy(String s) {
        switch (s) {
            case "Cluster":
                return TrafficPolicy.CLUSTER;
            case "Local":
                return TrafficPolicy.LOCAL;
            default:
                throw new IllegalArgumentException("traffic policy is Cluster or Local, not '" + s + "'");
        }
    }

    private static Protocol l4Protocol(String s) {
        switch (s) {
            case "TCP":
                return Protocol.TCP;
            case "UDP":
                return Protocol.UDP;
            case "SCTP":
                return Protocol.SCTP;
            default:
                throw new IllegalArgumentException("protocol is TCP, UDP or SCTP, not '" + s + "'");
        }
    }

    private static Ipv4 ipv4(String s) {
        return Ipv4.parse(s);
    }

    private static int number(String s, String what, int min, int max) {
        if (!s.matches("-?[0-9]{1,10}")) {
            throw new IllegalArgumentException(what + " '" + s + "' is not a number");
        }
        long n = Long.parseLong(s);
        if (n < min || n > max) {
            throw new IllegalArgumentException(what + " " + s + " is out of range (" + min + "-" + max + ")");
        }
        return (int) n;
    }

    private static TargetPort targetPort(String s) {
        if (s.matches("-?[0-9]+")) {
            return TargetPort.of(number(s, "targetPort", 1, 65535));
        }
        return TargetPort.named(portName(s));
    }

    private static String portName(String s) {
        if (s.length() > 15 || !s.matches(NAME) || !s.matches(".*[a-z].*")) {
            throw new IllegalArgumentException("'" + s + "' is not a port name (IANA_SVC_NAME: at most 15 lowercase"
                    + " letters, digits and dashes, with a letter)");
        }
        return s;
    }

    private static String objectName(String s) {
        if (s.isEmpty() || s.length() > 253 || !s.matches("[a-z0-9]([-.a-z0-9]*[a-z0-9])?")) {
            throw new IllegalArgumentException("'" + s + "' is not a Kubernetes object name");
        }
        return s;
    }

    private static boolean bool(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("'" + s + "' is not true or false");
    }

    private static YamlFieldException fail(YamlNode at, String reason) {
        return YamlFieldException.at(at, reason);
    }
}
