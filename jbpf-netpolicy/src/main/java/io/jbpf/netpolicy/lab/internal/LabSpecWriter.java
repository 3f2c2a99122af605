package io.jbpf.netpolicy.lab.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.NamespaceSpec;
import io.jbpf.netpolicy.lab.NodeSpec;
import io.jbpf.netpolicy.lab.PodSpec;
import io.jbpf.netpolicy.lab.PortSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes a lab spec as the YAML {@link LabSpecReader} reads, with every default made explicit. */
public final class LabSpecWriter {
    private static final YAMLMapper MAPPER = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());

    private LabSpecWriter() {}

    /** {@code spec} as YAML. */
    public static String write(LabSpec spec) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", spec.name());
        root.put("underlay", spec.underlay().toString());
        Map<String, Object> outside = new LinkedHashMap<>();
        outside.put("ip", spec.outside().ip().toString());
        if (!spec.outside().ports().isEmpty()) {
            outside.put("ports", ports(spec.outside().ports()));
        }
        root.put("outside", outside);
        List<Object> nodes = new ArrayList<>();
        for (NodeSpec n : spec.nodes()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n.name());
            m.put("ip", n.ip().toString());
            m.put("podCIDR", n.podCidr().toString());
            m.put("routerIP", n.routerIp().toString());
            m.put("healthIP", n.healthIp().toString());
            nodes.add(m);
        }
        root.put("nodes", nodes);
        List<Object> namespaces = new ArrayList<>();
        for (NamespaceSpec ns : spec.namespaces()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", ns.name());
            m.put("labels", new java.util.TreeMap<>(ns.labels()));
            namespaces.add(m);
        }
        root.put("namespaces", namespaces);
        List<Object> pods = new ArrayList<>();
        for (PodSpec p : spec.pods()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", p.name());
            m.put("namespace", p.namespace());
            m.put("node", p.node());
            m.put("ip", p.ip().toString());
            m.put("labels", new java.util.TreeMap<>(p.labels()));
            if (!p.ports().isEmpty()) {
                m.put("ports", ports(p.ports()));
            }
            pods.add(m);
        }
        root.put("pods", pods);
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a lab spec as YAML", e);
        }
    }

    private static List<Object> ports(List<PortSpec> ports) {
        List<Object> out = new ArrayList<>();
        for (PortSpec p : ports) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (!p.name().isEmpty()) {
                m.put("name", p.name());
            }
            m.put("port", p.port());
            m.put("protocol", p.protocol().name());
            m.put("server", p.server().name().toLowerCase(Locale.ROOT));
            out.add(m);
        }
        return out;
    }
}
