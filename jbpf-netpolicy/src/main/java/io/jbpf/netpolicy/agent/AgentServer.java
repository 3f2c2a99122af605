package io.jbpf.netpolicy.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jbpf.netpolicy.flow.Flow;
import io.jbpf.netpolicy.flow.FlowFilter;
import io.jbpf.netpolicy.policy.InvalidPolicyException;
import java.util.List;
import java.util.Map;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's Unix socket: one JSON request per connection ({@code {"cmd": "...", ...}}), one JSON
 * answer ({@code {"ok": true, "text": "..."}} or {@code {"ok": false, "error": "..."}}). The
 * commands are those of {@link AgentViews} (among them {@code status} and {@code health}), plus
 * {@code policy-import} ({@code yaml}), {@code policy-delete} ({@code name}), {@code service-import} ({@code yaml}) and
 * {@code service-delete} ({@code name}).
 */
final class AgentServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Agent agent;
    private final Path path;
    private final ServerSocketChannel channel;
    private final Thread thread;

    private AgentServer(Agent agent, Path path, ServerSocketChannel channel) {
        this.agent = agent;
        this.path = path;
        this.channel = channel;
        this.thread = new Thread(this::serve, "jbpf-agent-socket-" + agent.node().name());
        this.thread.setDaemon(true);
        this.thread.start();
    }

    static AgentServer start(Agent agent, Path path) {
        try {
            Files.createDirectories(path.getParent());
            Files.deleteIfExists(path); // a socket file left by a killed agent (the node lock is ours)
            ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            ch.bind(UnixDomainSocketAddress.of(path));
            return new AgentServer(agent, path, ch);
        } catch (IOException e) {
            throw new AgentException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
    }

    private void serve() {
        while (channel.isOpen()) {
            try (SocketChannel c = channel.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
                String line = in.readLine();
                ObjectNode answer = JSON.createObjectNode();
                try {
                    JsonNode req = JSON.readTree(line == null ? "{}" : line);
                    if (req.path("cmd").asText("").equals("observe")) {
                        observe(req, answer);
                    } else {
                        answer.put("text", handle(req));
                    }
                    answer.put("ok", true);
                } catch (InvalidPolicyException e) {
                    answer.put("ok", false);
                    answer.put("error", "invalid policy: " + e.getMessage());
                } catch (io.jbpf.netpolicy.service.InvalidServiceException e) {
                    answer.put("ok", false);
                    answer.put("error", "invalid service: " + e.getMessage());
                } catch (RuntimeException | IOException e) {
                    answer.put("ok", false);
                    answer.put("error", String.valueOf(e.getMessage()));
                }
                OutputStream out = Channels.newOutputStream(c);
                out.write((JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                if (!channel.isOpen()) {
                    return;
                }
            }
        }
    }

    private void observe(JsonNode req, ObjectNode answer) {
        FlowFilter filter = new FlowFilter(text(req, "pod"), text(req, "namespace"), text(req, "verdict"),
                text(req, "protocol"), req.path("port").asInt(0), req.path("identity").asInt(0));
        List<Flow> flows = agent.flows().flows(req.path("since").asLong(0), filter, req.path("limit").asInt(20));
        ArrayNode out = answer.putArray("flows");
        for (Flow f : flows) {
            ObjectNode o = out.addObject();
            o.put("time", f.time().toEpochMilli() * 1_000_000L + f.time().getNano() % 1_000_000);
            o.put("compact", f.compact());
            o.put("json", f.json());
        }
        answer.put("next", agent.flows().nextSequence() - 1);
        answer.put("ok", true);
    }

    private static String text(JsonNode req, String key) {
        JsonNode n = req.get(key);
        return n == null || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }

    private String handle(JsonNode req) {
        String cmd = req.path("cmd").asText("");
        AgentViews views = new AgentViews(agent);
        switch (cmd) {
            case "status":
                return views.status(req.path("verbose").asBoolean(false));
            case "health":
                return views.health();
            case "endpoint-list":
                return views.endpointList();
            case "identity-list":
                return views.identityList();
            case "policy-get":
                return views.policyGet();
            case "policy-import": {
                long rev = agent.policies().importYaml(req.path("yaml").asText(""));
                agent.reconcile(false);
                return "Revision: " + rev + "\n";
            }
            case "policy-delete": {
                long rev = agent.policies().delete(req.path("name").asText(""));
                agent.reconcile(false);
                return "Revision: " + rev + "\n";
            }
            case "service-import":
                return serviceChanged(agent.services().importYaml(req.path("yaml").asText("")));
            case "service-delete":
                return serviceChanged(agent.services().delete(req.path("name").asText("")));
            case "service-list":
                return views.serviceList();
            case "bpf-lb-list":
                return views.bpfLbList();
            case "label": {
                Map<String, String> set = new java.util.LinkedHashMap<>();
                req.path("set").fields().forEachRemaining(e -> set.put(e.getKey(), e.getValue().asText()));
                List<String> remove = new java.util.ArrayList<>();
                req.path("remove").forEach(n -> remove.add(n.asText()));
                long rev = agent.relabel(req.path("kind").asText("pod"), req.path("namespace").asText("default"),
                        req.path("name").asText(""), set, remove);
                return "Revision: " + rev + "\n";
            }
            case "map-list":
                return views.mapList();
            case "map-get":
                return views.mapGet(req.path("name").asText(""));
            case "bpf-ct-list":
                return String.join("\n", io.jbpf.netpolicy.conntrack.ConntrackMap.describe(agent.datapath().conntrack(),
                        System.nanoTime())) + "\n";
            case "bpf-ct-flush":
                return "Flushed " + io.jbpf.netpolicy.conntrack.ConntrackMap.clear(agent.datapath().conntrack())
                        + " entries\n";
            case "bpf-nat-list":
                return views.bpfNatList();
            case "bpf-endpoint-list":
                return views.bpfEndpointList();
            case "bpf-ipcache-list":
                return views.bpfIpcacheList();
            case "bpf-policy-get":
                return views.bpfPolicyGet(req.path("endpoint").asInt(0));
            default:
                throw new AgentException("unknown command '" + cmd + "'");
        }
    }

    /** Syncs this node's maps at once (the other agents follow the revision) and says how it went. */
    private String serviceChanged(long revision) {
        if (!agent.syncServices()) {
            return "Revision: " + revision + "\nWarning: node " + agent.node().name() + " could not apply it: "
                    + agent.serviceError() + "\n";
        }
        return "Revision: " + revision + "\n";
    }

    @Override
    public void close() {
        try {
            channel.close();
            thread.join(2000);
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new AgentException("cannot close " + path + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
