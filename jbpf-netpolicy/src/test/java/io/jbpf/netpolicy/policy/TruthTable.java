package io.jbpf.netpolicy.policy;

import java.util.ArrayList;
import java.util.List;

/**
 * A reachability matrix over pods named {@code namespace/pod}: row = the client (from), column =
 * the server (to), as in the Kubernetes network policy e2e tests. It is filled either by our model
 * or by the statements upstream writes its expectations in (see {@link #apply}), and printed in
 * upstream's form: {@code .} reachable, {@code X} blocked.
 */
final class TruthTable {
    private final List<String> pods;
    private final boolean[][] values;

    /** Every pair set to {@code initial}, as upstream's {@code NewReachability(pods, initial)}. */
    TruthTable(List<String> pods, boolean initial) {
        this.pods = List.copyOf(pods);
        this.values = new boolean[pods.size()][pods.size()];
        for (boolean[] row : values) {
            java.util.Arrays.fill(row, initial);
        }
    }

    List<String> pods() {
        return pods;
    }

    boolean get(String from, String to) {
        return values[index(from)][index(to)];
    }

    void set(String from, String to, boolean reachable) {
        values[index(from)][index(to)] = reachable;
    }

    private int index(String pod) {
        int i = pods.indexOf(pod);
        if (i < 0) {
            throw new IllegalArgumentException("no pod " + pod + " in " + pods);
        }
        return i;
    }

    /**
     * Applies one expectation statement, written as the upstream call it transcribes:
     * <ul>
     * <li>{@code ExpectPeer FROM -> TO true|false}: FROM and TO are {@code ns/pod} where either part
     * may be {@code *} (upstream's empty {@code Peer} field), and {@code *} alone is any pod;</li>
     * <li>{@code Expect ns/pod -> ns/pod true|false}: one pair;</li>
     * <li>{@code ExpectAllIngress ns/pod true|false}: every pair into the pod;</li>
     * <li>{@code ExpectAllEgress ns/pod true|false}: every pair out of the pod.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for any other text
     */
    void apply(String statement) {
        String[] t = statement.trim().split("\\s+");
        try {
            switch (t[0]) {
                case "ExpectPeer":
                case "Expect": {
                    if (t.length != 5 || !t[2].equals("->")) {
                        throw new IllegalArgumentException("expected '" + t[0] + " FROM -> TO true|false'");
                    }
                    boolean v = bool(t[4]);
                    if (t[0].equals("Expect")) {
                        set(exact(t[1]), exact(t[3]), v);
                    } else {
                        for (String from : matching(t[1])) {
                            for (String to : matching(t[3])) {
                                set(from, to, v);
                            }
                        }
                    }
                    return;
                }
                case "ExpectAllIngress":
                case "ExpectAllEgress": {
                    if (t.length != 3) {
                        throw new IllegalArgumentException("expected '" + t[0] + " ns/pod true|false'");
                    }
                    String pod = exact(t[1]);
                    boolean v = bool(t[2]);
                    for (String other : pods) {
                        if (t[0].equals("ExpectAllIngress")) {
                            set(other, pod, v);
                        } else {
                            set(pod, other, v);
                        }
                    }
                    return;
                }
                default:
                    throw new IllegalArgumentException("unknown statement " + t[0]
                            + " (ExpectPeer, Expect, ExpectAllIngress or ExpectAllEgress)");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expectation '" + statement.trim() + "': " + e.getMessage(), e);
        }
    }

    private String exact(String pod) {
        index(pod);
        return pod;
    }

    private List<String> matching(String peer) {
        String p = peer.equals("*") ? "*/*" : peer;
        int slash = p.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("peer '" + peer + "' is not ns/pod, ns/*, */pod or *");
        }
        String ns = p.substring(0, slash);
        String name = p.substring(slash + 1);
        List<String> out = new ArrayList<>();
        for (String pod : pods) {
            int s = pod.indexOf('/');
            if ((ns.equals("*") || ns.equals(pod.substring(0, s))) && (name.equals("*") || name.equals(pod.substring(s + 1)))) {
                out.add(pod);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("peer '" + peer + "' matches no pod");
        }
        return out;
    }

    private static boolean bool(String s) {
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException("'" + s + "' is not true or false");
    }

    /**
     * The pairs where {@code actual} differs from this table, as {@code "from -> to"}; a pod's
     * traffic to itself is left out when {@code ignoreLoopback} (upstream's {@code ignoreLoopback}).
     */
    List<String> differences(TruthTable actual, boolean ignoreLoopback) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < pods.size(); i++) {
            for (int j = 0; j < pods.size(); j++) {
                if (ignoreLoopback && i == j) {
                    continue;
                }
                if (values[i][j] != actual.get(pods.get(i), pods.get(j))) {
                    out.add(pods.get(i) + " -> " + pods.get(j));
                }
            }
        }
        return out;
    }

    /** Upstream's printout: a header of servers, a row per client, {@code .} reachable, {@code X} blocked. */
    String pretty() {
        return render((i, j) -> values[i][j] ? "." : "X");
    }

    /**
     * The comparison printout: {@code .} where both agree, {@code X} where they differ, {@code ~}
     * for a difference on the diagonal that {@code ignoreLoopback} leaves out.
     */
    String comparison(TruthTable actual, boolean ignoreLoopback) {
        return render((i, j) -> {
            boolean same = values[i][j] == actual.get(pods.get(i), pods.get(j));
            return same ? "." : ignoreLoopback && i == j ? "~" : "X";
        });
    }

    private interface Cell {
        String at(int i, int j);
    }

    private String render(Cell cell) {
        StringBuilder b = new StringBuilder("-    ");
        for (String p : pods) {
            b.append(String.format("%-5s", p));
        }
        b.append('\n');
        for (int i = 0; i < pods.size(); i++) {
            b.append(String.format("%-5s", pods.get(i)));
            for (int j = 0; j < pods.size(); j++) {
                b.append(String.format("%-5s", cell.at(i, j)));
            }
            b.append('\n');
        }
        return b.toString();
    }
}
