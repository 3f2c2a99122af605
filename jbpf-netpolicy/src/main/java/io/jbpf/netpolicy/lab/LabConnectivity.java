package io.jbpf.netpolicy.lab;

import io.jbpf.netpolicy.lab.internal.ConcurrentProbes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tries every pod pair of a lab on every port the destination serves, all at once, and prints the
 * reachability matrices as the Kubernetes e2e tests print theirs ({@code .} reachable, {@code X}
 * not, {@code ?} an anomaly).
 *
 * <p>A TCP attempt is reachable only when the connection was accepted and the server's answer to a
 * request came back (whoami's {@code 200} status line, echo's same bytes); a UDP one only when the
 * datagram came back unchanged. Unreachable means nothing at all came back within the timeout, as
 * when the datapath drops. Anything else — a reset, an ICMP error, an accepted connection with no
 * answer, a wrong answer — is an anomaly: neither allowing nor dropping explains it.
 */
public final class LabConnectivity {
    /** What came of an attempt. */
    public enum Result {
        /** Data went both ways. */
        REACHABLE,
        /** Nothing came back within the timeout. */
        UNREACHABLE,
        /** Something came back, but not the answer (see {@link Attempt#detail()}). */
        ANOMALOUS
    }

    /**
     * One attempt.
     *
     * @param from       the client pod ({@code namespace/name})
     * @param to         the server pod ({@code namespace/name})
     * @param port       the port
     * @param protocol   TCP or UDP
     * @param result     what came of it
     * @param detail     for an anomaly, what happened; else empty
     * @param answerTime for a reachable attempt, how long the exchange took; else zero
     */
    public record Attempt(String from, String to, int port, PortSpec.Protocol protocol, Result result, String detail,
            Duration answerTime) {
        /** Whether data went both ways. */
        public boolean reachable() {
            return result == Result.REACHABLE;
        }
    }

    private LabConnectivity() {}

    /**
     * Every pod to every other pod, on each port the other serves, all at once; an attempt that
     * hears nothing within {@code timeout} is unreachable (an accepted TCP connection gets another
     * {@code timeout} for the server's answer).
     */
    public static List<Attempt> probe(Lab lab, Duration timeout) {
        List<ConcurrentProbes.Target> targets = new ArrayList<>();
        List<String[]> pairs = new ArrayList<>();
        for (PodSpec from : lab.spec().pods()) {
            for (PodSpec to : lab.spec().pods()) {
                if (from.equals(to)) {
                    continue;
                }
                for (PortSpec port : to.ports()) {
                    String label = from.qualifiedName() + "->" + to.qualifiedName() + ":" + port.port() + "/" + port.protocol();
                    targets.add(new ConcurrentProbes.Target(lab.namespaceOf(from.qualifiedName()), to.ip(), port, label));
                    pairs.add(new String[] {from.qualifiedName(), to.qualifiedName()});
                }
            }
        }
        List<ConcurrentProbes.Outcome> outcomes = ConcurrentProbes.run(targets, timeout.toNanos());
        List<Attempt> out = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            ConcurrentProbes.Outcome o = outcomes.get(i);
            PortSpec port = targets.get(i).port();
            out.add(new Attempt(pairs.get(i)[0], pairs.get(i)[1], port.port(), port.protocol(), o.result(), o.detail(),
                    Duration.ofNanos(o.answerNanos())));
        }
        return out;
    }

    /** One matrix per port and protocol: rows are clients, columns servers. */
    public static String matrices(Lab lab, List<Attempt> attempts) {
        Map<String, List<Attempt>> byPort = new LinkedHashMap<>();
        for (Attempt a : attempts) {
            byPort.computeIfAbsent(a.port() + "/" + a.protocol(), k -> new ArrayList<>()).add(a);
        }
        List<String> pods = lab.spec().pods().stream().map(PodSpec::qualifiedName).toList();
        int w = pods.stream().mapToInt(String::length).max().orElse(4) + 1;
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, List<Attempt>> e : byPort.entrySet()) {
            b.append(e.getKey()).append('\n').append(String.format("%-" + w + "s", "-"));
            List<String> servers = pods.stream().filter(p -> e.getValue().stream().anyMatch(a -> a.to().equals(p))).toList();
            for (String s : servers) {
                b.append(String.format("%-" + w + "s", s));
            }
            b.append('\n');
            for (String c : pods) {
                b.append(String.format("%-" + w + "s", c));
                for (String s : servers) {
                    String mark = "#";
                    for (Attempt a : e.getValue()) {
                        if (a.from().equals(c) && a.to().equals(s)) {
                            mark = switch (a.result()) {
                                case REACHABLE -> ".";
                                case UNREACHABLE -> "X";
                                case ANOMALOUS -> "?";
                            };
                        }
                    }
                    b.append(String.format("%-" + w + "s", mark));
                }
                b.setLength(b.length() - (w - 1));
                b.append('\n');
            }
            b.append('\n');
        }
        for (Attempt a : attempts) {
            if (a.result() == Result.ANOMALOUS) {
                b.append("? ").append(a.from()).append(" -> ").append(a.to()).append(' ').append(a.port()).append('/')
                        .append(a.protocol()).append(": ").append(a.detail()).append('\n');
            }
        }
        return b.toString();
    }
}
