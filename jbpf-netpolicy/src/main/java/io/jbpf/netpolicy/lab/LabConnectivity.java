package io.jbpf.netpolicy.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tries every pod pair of a lab on every port the destination serves (TCP connects; UDP echo
 * round trips), in parallel, and prints the reachability matrices as the Kubernetes e2e tests print
 * theirs ({@code .} reachable, {@code X} not).
 */
public final class LabConnectivity {
    /**
     * One attempt.
     *
     * @param from      the client pod ({@code namespace/name})
     * @param to        the server pod ({@code namespace/name})
     * @param port      the port
     * @param protocol  TCP or UDP
     * @param reachable whether it got through
     */
    public record Attempt(String from, String to, int port, PortSpec.Protocol protocol, boolean reachable) {}

    private LabConnectivity() {}

    /** Every pod to every other pod, on each port the other serves, each attempt waiting at most {@code timeout}. */
    public static List<Attempt> probe(Lab lab, Duration timeout) {
        LabProbe probe = new LabProbe(lab, timeout);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Attempt>> futures = new ArrayList<>();
            for (PodSpec from : lab.spec().pods()) {
                for (PodSpec to : lab.spec().pods()) {
                    if (from.equals(to)) {
                        continue;
                    }
                    for (PortSpec port : to.ports()) {
                        futures.add(pool.submit(() -> {
                            boolean ok = port.protocol() == PortSpec.Protocol.TCP
                                    ? probe.tcpReaches(from.qualifiedName(), to.ip(), port.port())
                                    : probe.udpEcho(from.qualifiedName(), to.ip(), port.port(), new byte[] {'?'}).isPresent();
                            return new Attempt(from.qualifiedName(), to.qualifiedName(), port.port(), port.protocol(), ok);
                        }));
                    }
                }
            }
            List<Attempt> out = new ArrayList<>();
            for (Future<Attempt> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while probing lab " + lab.spec().name(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new LabException("probe failed: " + e.getCause(), e);
        } finally {
            pool.shutdownNow();
        }
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
                            mark = a.reachable() ? "." : "X";
                        }
                    }
                    b.append(String.format("%-" + w + "s", mark));
                }
                b.setLength(b.length() - (w - 1));
                b.append('\n');
            }
            b.append('\n');
        }
        return b.toString();
    }
}
