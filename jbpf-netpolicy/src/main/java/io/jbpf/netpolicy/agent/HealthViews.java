package io.jbpf.netpolicy.agent;

import io.jbpf.netpolicy.health.ClusterHealth;
import io.jbpf.netpolicy.health.HealthReport;
import io.jbpf.netpolicy.health.NodeHealth;
import io.jbpf.netpolicy.health.ProbeResult;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The cluster health as text: the {@code Cluster health:} line of {@code cilium status} (and its
 * per-node table with {@code --verbose}), and {@code cilium-health status}.
 */
final class HealthViews {
    /** What the status line says before the first probe round has finished. */
    static final String IN_PROGRESS = "Probe in progress";

    private final ClusterHealth health;

    HealthViews(ClusterHealth health) {
        this.health = health;
    }

    /** {@code 3/3 reachable   (2026-11-27T12:00:00Z)}: nodes whose address and health endpoint both answered. */
    String summary() {
        Optional<HealthReport> r = health.report();
        if (r.isEmpty()) {
            return IN_PROGRESS;
        }
        return r.get().reachable() + "/" + r.get().nodes().size() + " reachable   (" + time(r.get().probed()) + ")";
    }

    /**
     * Per node: name, address, whether the node and its health endpoint answered, with the latency;
     * every node when {@code all}, else only the unreachable ones (none: no table), as
     * {@code cilium status} does without {@code --verbose}.
     */
    String table(boolean all) {
        Optional<HealthReport> r = health.report();
        if (r.isEmpty() || !all && r.get().reachable() == r.get().nodes().size()) {
            return "";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"Name", "IP", "Node", "Endpoints"});
        for (NodeHealth n : r.get().nodes()) {
            if (!all && n.reachable()) {
                continue;
            }
            rows.add(new String[] {name(n), n.host().address().toString(), cell(n.host()), cell(n.endpoint())});
        }
        StringBuilder b = new StringBuilder();
        AgentViews.table(rows).lines().forEach(l -> b.append("  ").append(l).append('\n'));
        return b.toString();
    }

    /** As {@code cilium-health status}: the probe time, then each node's two probes. */
    String status() {
        Optional<HealthReport> r = health.report();
        if (r.isEmpty()) {
            return IN_PROGRESS + " (probing every " + health.options().interval().toMillis() + "ms)\n";
        }
        StringBuilder b = new StringBuilder();
        b.append("Probe time:   ").append(time(r.get().probed())).append('\n');
        b.append("Nodes:\n");
        for (NodeHealth n : r.get().nodes()) {
            b.append("  ").append(name(n)).append(":\n");
            b.append("    Host connectivity to ").append(n.host().address()).append(":\n");
            b.append("      HTTP to agent:   ").append(detail(n.host())).append('\n');
            b.append("    Endpoint connectivity to ").append(n.endpoint().address()).append(":\n");
            b.append("      HTTP to agent:   ").append(detail(n.endpoint())).append('\n');
        }
        return b.toString();
    }

    private static String name(NodeHealth n) {
        return n.node() + (n.local() ? " (localhost)" : "");
    }

    private static String cell(ProbeResult p) {
        return p.reachable() ? "reachable " + millis(p.latency()) : "unreachable (" + p.error() + ")";
    }

    private static String detail(ProbeResult p) {
        return p.reachable() ? "OK, RTT=" + millis(p.latency()) : "Failed: " + p.error() + " (port " + p.port() + ")";
    }

    static String millis(Duration d) {
        return String.format(Locale.ROOT, "%.3fms", d.toNanos() / 1e6);
    }

    private static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
