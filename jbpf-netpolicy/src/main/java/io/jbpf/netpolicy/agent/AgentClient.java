package io.jbpf.netpolicy.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Talks to an agent over its Unix socket: one request, one answer per connection. */
public final class AgentClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;

    /** A client of the agent listening on {@code socket}. */
    public AgentClient(Path socket) {
        this.socket = socket;
    }

    /**
     * Sends {@code cmd} with {@code args} and returns the agent's text.
     *
     * @throws AgentException when the agent is not running or refuses the request (with its reason)
     */
    public String call(String cmd, Map<String, ?> args) {
        return request(cmd, args).path("text").asText("");
    }

    private JsonNode request(String cmd, Map<String, ?> args) {
        if (!Files.exists(socket)) {
            throw new AgentException("no agent is listening on " + socket + " (start one with: jbpf agent --node NODE)");
        }
        ObjectNode req = JSON.createObjectNode();
        req.put("cmd", cmd);
        args.forEach((k, v) -> req.set(k, JSON.valueToTree(v)));
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(socket));
            c.write(java.nio.ByteBuffer.wrap((JSON.writeValueAsString(req) + "\n").getBytes(StandardCharsets.UTF_8)));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(c), StandardCharsets.UTF_8));
            String line = in.readLine();
            if (line == null) {
                throw new AgentException("the agent on " + socket + " closed the connection without answering");
            }
            JsonNode answer = JSON.readTree(line);
            if (!answer.path("ok").asBoolean(false)) {
                throw new AgentException(answer.path("error").asText("the agent refused the request"));
            }
            return answer;
        } catch (IOException e) {
            throw new AgentException("cannot talk to the agent on " + socket + ": " + e.getMessage(), e);
        }
    }

    /** One flow of an {@link #observe} answer: when, and its compact and JSON forms. */
    public record ObservedFlow(long timeNanos, String compact, String json) {}

    /** An {@link #observe} answer: the flows, and the number of the newest flow the agent has. */
    public record Observed(List<ObservedFlow> flows, long last) {}

    /**
     * The agent's flows numbered after {@code since} that pass the filter (keys {@code pod},
     * {@code namespace}, {@code verdict}, {@code protocol}, {@code port}, {@code identity}), at most
     * {@code limit}.
     */
    public Observed observe(long since, int limit, Map<String, ?> filter) {
        Map<String, Object> args = new java.util.LinkedHashMap<>(filter);
        args.put("since", since);
        args.put("limit", limit);
        JsonNode answer = request("observe", args);
        List<ObservedFlow> flows = new java.util.ArrayList<>();
        for (JsonNode f : answer.path("flows")) {
            flows.add(new ObservedFlow(f.path("time").asLong(), f.path("compact").asText(), f.path("json").asText()));
        }
        return new Observed(flows, answer.path("next").asLong(0));
    }

    /** {@link #call(String, Map)} without arguments. */
    public String call(String cmd) {
        return call(cmd, Map.of());
    }
}
