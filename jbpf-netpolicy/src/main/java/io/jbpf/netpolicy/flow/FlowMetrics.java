package io.jbpf.netpolicy.flow;

import io.jbpf.netpolicy.datapath.FlowEvents;
import io.jbpf.netpolicy.identity.ReservedIdentity;
import io.jbpf.netpolicy.policy.Direction;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Locale;

/**
 * Hubble's metric families over the flows a node observes, registered in a Prometheus registry:
 * <ul>
 * <li>{@code hubble_flows_processed_total{type, subtype, verdict}}: type {@code Drop} or
 * {@code PolicyVerdict}, subtype {@code to-endpoint} (ingress) or {@code from-endpoint} (egress)
 * for verdicts, verdict {@code FORWARDED} or {@code DROPPED};</li>
 * <li>{@code hubble_drop_total{reason, protocol}}, the reason as Hubble's enum name
 * ({@code POLICY_DENIED}, {@code POLICY_DENY}, {@code INVALID_SOURCE_IP}, {@code SERVICE_BACKEND_NOT_FOUND});</li>
 * <li>{@code hubble_tcp_flags_total{flag, family}}, one count per flag set;</li>
 * <li>{@code hubble_port_distribution_total{protocol, port}}, destination ports of forwarded flows;</li>
 * <li>{@code hubble_flows_to_world_total{protocol, verdict}}, flows whose destination is the world;</li>
 * <li>{@code hubble_icmp_total{family, type}}, ICMP flows by type ({@code EchoRequest}, …).</li>
 * </ul>
 * The datapath reports drops and the first packet of each allowed new connection; those are the
 * flows counted. (The agent adds {@code hubble_lost_events_total}: it reads the datapath's count.)
 */
public final class FlowMetrics {
    private static final String[] FLAGS = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};

    private final Counter processed;
    private final Counter drops;
    private final Counter tcpFlags;
    private final Counter ports;
    private final Counter toWorld;
    private final Counter icmp;

    /** Registers the families in {@code registry}. */
    public FlowMetrics(PrometheusRegistry registry) {
        processed = Counter.builder().name("hubble_flows_processed_total").help("Total number of flows processed")
                .labelNames("type", "subtype", "verdict").withoutExemplars().register(registry);
        drops = Counter.builder().name("hubble_drop_total").help("Number of drops")
                .labelNames("reason", "protocol").withoutExemplars().register(registry);
        tcpFlags = Counter.builder().name("hubble_tcp_flags_total").help("TCP flag occurrences")
                .labelNames("flag", "family").withoutExemplars().register(registry);
        ports = Counter.builder().name("hubble_port_distribution_total").help("Numbers of packets distributed by destination port")
                .labelNames("protocol", "port").withoutExemplars().register(registry);
        toWorld = Counter.builder().name("hubble_flows_to_world_total").help("Total number of flows to reserved:world")
                .labelNames("protocol", "verdict").withoutExemplars().register(registry);
        icmp = Counter.builder().name("hubble_icmp_total").help("Number of ICMP messages")
                .labelNames("family", "type").withoutExemplars().register(registry);
    }

    /** Counts one flow. */
    public void record(Flow f) {
        String protocol = f.protocolName();
        if (f.dropped()) {
            processed.labelValues("Drop", "", f.verdict()).inc();
            drops.labelValues(reasonName(f.reason()), protocol).inc();
        } else {
            processed.labelValues("PolicyVerdict", f.direction() == Direction.INGRESS ? "to-endpoint" : "from-endpoint",
                    f.verdict()).inc();
            if (f.destinationPort() != 0) {
                ports.labelValues(protocol, Integer.toString(f.destinationPort())).inc();
            }
        }
        if (f.protocol() == 6) {
            for (int i = 0; i < FLAGS.length; i++) {
                if ((f.tcpFlags() & (1 << i)) != 0) {
                    tcpFlags.labelValues(FLAGS[i], "IPv4").inc();
                }
            }
        }
        if (f.protocol() == 1) {
            icmp.labelValues("IPv4", f.icmpTypeName()).inc();
        }
        if (f.destinationIdentity() == ReservedIdentity.WORLD.id()) {
            toWorld.labelValues(protocol, f.verdict()).inc();
        }
    }

    /** Hubble's name of a drop reason. */
    static String reasonName(int reason) {
        switch (reason) {
            case FlowEvents.DROP_POLICY:
                return "POLICY_DENIED";
            case FlowEvents.DROP_POLICY_DENY:
                return "POLICY_DENY";
            case FlowEvents.DROP_INVALID_SOURCE:
                return "INVALID_SOURCE_IP";
            case FlowEvents.DROP_NO_SERVICE:
                return "SERVICE_BACKEND_NOT_FOUND";
            default:
                return FlowEvents.reasonText(reason).toUpperCase(Locale.ROOT).replace(' ', '_');
        }
    }
}
