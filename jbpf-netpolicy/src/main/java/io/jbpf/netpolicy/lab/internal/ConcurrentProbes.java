package io.jbpf.netpolicy.lab.internal;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.lab.LabConnectivity.Result;
import io.jbpf.netpolicy.lab.LabException;
import io.jbpf.netpolicy.lab.PortSpec;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs many reachability attempts at once on one thread: every socket is made in its client's
 * network namespace (a socket keeps the namespace it was made in), then all of them connect or
 * send together and one selector waits for the answers, so a round costs one timeout however many
 * attempts stay silent.
 *
 * <p>What an attempt means: TCP is {@code REACHABLE} only when the connection was accepted, a
 * request went out and the server's answer came back (an HTTP {@code 200} status line from
 * whoami, the same bytes from echo); UDP only when the datagram came back unchanged from the
 * address it was sent to. {@code UNREACHABLE} means nothing at all came back within the timeout (no
 * SYN-ACK, no reset, no ICMP error, no datagram). Anything else — a reset, an ICMP error, an
 * accepted connection that then stays silent or closes, a different answer — is {@code ANOMALOUS}
 * with what happened, since neither a policy that allows nor one that drops gives it.
 */
public final class ConcurrentProbes {
    /**
     * One attempt to make.
     *
     * @param fromNetns the client's network namespace
     * @param to        the server's address
     * @param port      the port and what serves it
     * @param label     names the attempt in payloads and messages
     */
    public record Target(String fromNetns, Ipv4 to, PortSpec port, String label) {}

    /**
     * The outcome of one attempt.
     *
     * @param result   what came of it
     * @param detail   for an anomaly, what happened; else empty
     * @param answerNanos for a reachable one, how long the whole exchange took
     */
    public record Outcome(Result result, String detail, long answerNanos) {}

    private enum State {
        CONNECTING, AWAITING_ANSWER, DONE
    }

    private static final class Attempt {
        final Target target;
        final byte[] request;
        final byte[] expected;
        final ByteBuffer answer;
        SelectableChannel channel;
        State state = State.CONNECTING;
        long start;
        long deadline;
        Outcome outcome;

        Attempt(Target target, byte[] request, byte[] expected) {
            this.target = target;
            this.request = request;
            this.expected = expected;
            // one byte more than expected: a longer datagram must not pass for the right one
            this.answer = ByteBuffer.allocate(expected.length + (target.port().protocol() == PortSpec.Protocol.UDP ? 1 : 0));
        }

        void finish(Result r, String detail) {
            outcome = new Outcome(r, detail, r == Result.REACHABLE ? System.nanoTime() - start : 0);
            state = State.DONE;
            try {
                channel.close();
            } catch (IOException e) {
                // the outcome stands
            }
        }
    }

    private ConcurrentProbes() {}

    /**
     * Makes every attempt, each waiting at most {@code timeoutNanos} for its first answer (a TCP
     * connection that was accepted gets another {@code timeoutNanos} for the server's reply).
     *
     * @return the outcomes in the order of {@code targets}
     */
    public static List<Outcome> run(List<Target> targets, long timeoutNanos) {
        List<Attempt> attempts = new ArrayList<>();
        Map<String, List<Attempt>> byNetns = new LinkedHashMap<>();
        for (Target t : targets) {
            Attempt a = attempt(t);
            attempts.add(a);
            byNetns.computeIfAbsent(t.fromNetns(), k -> new ArrayList<>()).add(a);
        }
        try (Selector selector = Selector.open()) {
            try {
                // sockets are made in the client's namespace; everything else may happen anywhere
                for (Map.Entry<String, List<Attempt>> e : byNetns.entrySet()) {
                    try (NetNamespace ns = NetNamespace.open(e.getKey())) {
                        ns.run(() -> {
                            for (Attempt a : e.getValue()) {
                                a.channel = a.target.port().protocol() == PortSpec.Protocol.TCP ? SocketChannel.open()
                                        : DatagramChannel.open(StandardProtocolFamily.INET);
                            }
                            return null;
                        });
                    }
                }
                for (List<Attempt> batch : byNetns.values()) {
                    for (Attempt a : batch) {
                        start(a, selector, timeoutNanos);
                    }
                    selector.selectNow(); // answers to the first batches are read while the later ones start
                    handleReady(selector, timeoutNanos);
                }
                loop(selector, attempts, timeoutNanos);
            } finally {
                for (Attempt a : attempts) {
                    if (a.channel != null && a.channel.isOpen()) {
                        a.channel.close();
                    }
                }
            }
        } catch (IOException e) {
            throw new LabException("probing failed: " + e.getMessage(), e);
        }
        List<Outcome> out = new ArrayList<>();
        attempts.forEach(a -> out.add(a.outcome));
        return out;
    }

    private static Attempt attempt(Target t) {
        byte[] request;
        byte[] expected;
        if (t.port().server() == PortSpec.Server.WHOAMI) {
            request = ("GET /jbpf-probe HTTP/1.1\r\nHost: " + t.to() + (t.port().port() == 80 ? "" : ":" + t.port().port())
                    + "\r\nUser-Agent: jbpf-lab-probe\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            expected = "HTTP/1.1 200 ".getBytes(StandardCharsets.US_ASCII);
        } else {
            request = ("jbpf-probe " + t.label() + " " + System.nanoTime() + "\n").getBytes(StandardCharsets.US_ASCII);
            expected = request;
        }
        return new Attempt(t, request, expected);
    }

    private static void start(Attempt a, Selector selector, long timeoutNanos) throws IOException {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByAddress(a.target.to().bytes()), a.target.port().port());
        a.channel.configureBlocking(false);
        a.start = System.nanoTime();
        a.deadline = a.start + timeoutNanos;
        try {
            if (a.channel instanceof SocketChannel s) {
                SelectionKey k = s.register(selector, SelectionKey.OP_CONNECT, a);
                if (s.connect(to)) {
                    connected(a, k, timeoutNanos);
                }
            } else {
                DatagramChannel d = (DatagramChannel) a.channel;
                d.connect(to); // a connected socket hears ICMP errors and only the server's answers
                d.write(ByteBuffer.wrap(a.request));
                a.state = State.AWAITING_ANSWER;
                d.register(selector, SelectionKey.OP_READ, a);
            }
        } catch (IOException e) {
            a.finish(Result.ANOMALOUS, "could not send: " + e);
        }
    }

    private static void connected(Attempt a, SelectionKey k, long timeoutNanos) throws IOException {
        SocketChannel s = (SocketChannel) a.channel;
        ByteBuffer req = ByteBuffer.wrap(a.request);
        s.write(req);
        if (req.hasRemaining()) { // a fresh connection's send buffer takes a few hundred bytes at once
            a.finish(Result.ANOMALOUS, "the request did not fit the send buffer");
            return;
        }
        a.state = State.AWAITING_ANSWER;
        a.deadline = Math.max(a.deadline, System.nanoTime() + timeoutNanos);
        k.interestOps(SelectionKey.OP_READ);
    }

    /**
     * Waits for answers until every attempt is done. An attempt is declared silent only after the
     * answers that came before its deadline were read (however late this thread got to them).
     */
    private static void loop(Selector selector, List<Attempt> attempts, long timeoutNanos) throws IOException {
        long wait = 0;
        while (true) {
            if (wait == 0) {
                selector.selectNow();
            } else {
                selector.select(Math.max(1, (wait + 999_999) / 1_000_000));
            }
            handleReady(selector, timeoutNanos);
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (Attempt a : attempts) {
                if (a.state == State.DONE) {
                    continue;
                }
                if (now - a.deadline >= 0) {
                    if (a.state == State.CONNECTING || a.target.port().protocol() == PortSpec.Protocol.UDP) {
                        a.finish(Result.UNREACHABLE, "");
                    } else {
                        a.finish(Result.ANOMALOUS, "accepted, but no answer to the request");
                    }
                } else {
                    next = Math.min(next, a.deadline - now);
                }
            }
            if (next == Long.MAX_VALUE) {
                return;
            }
            wait = next;
        }
    }

    private static void handleReady(Selector selector, long timeoutNanos) {
        for (SelectionKey k : selector.selectedKeys()) {
            Attempt a = (Attempt) k.attachment();
            if (a.state != State.DONE && k.isValid()) {
                ready(a, k, timeoutNanos);
            }
        }
        selector.selectedKeys().clear();
    }

    private static void ready(Attempt a, SelectionKey k, long timeoutNanos) {
        try {
            if (a.state == State.CONNECTING) {
                if (((SocketChannel) a.channel).finishConnect()) {
                    connected(a, k, timeoutNanos);
                }
                return;
            }
            int n = a.channel instanceof SocketChannel s ? s.read(a.answer) : ((DatagramChannel) a.channel).read(a.answer);
            if (n < 0) {
                a.finish(Result.ANOMALOUS, "closed by the server after " + a.answer.position() + " bytes of answer");
            } else if (n == 0) {
                return; // woken with nothing to read (the probe never sends an empty datagram, so none comes back)
            } else if (a.channel instanceof DatagramChannel) {
                byte[] got = Arrays.copyOf(a.answer.array(), a.answer.position());
                if (Arrays.equals(got, a.expected)) {
                    a.finish(Result.REACHABLE, "");
                } else {
                    a.finish(Result.ANOMALOUS, "answered " + printable(got));
                }
            } else if (!a.answer.hasRemaining()) {
                if (Arrays.equals(a.answer.array(), a.expected)) {
                    a.finish(Result.REACHABLE, "");
                } else {
                    a.finish(Result.ANOMALOUS, "answered " + printable(a.answer.array()));
                }
            }
        } catch (ConnectException e) {
            a.finish(Result.ANOMALOUS, "refused (" + e.getMessage() + ")");
        } catch (PortUnreachableException e) {
            a.finish(Result.ANOMALOUS, "ICMP port unreachable");
        } catch (IOException e) {
            a.finish(Result.ANOMALOUS, e.toString());
        }
    }

    private static String printable(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        return "'" + s.replaceAll("[^ -~]", "?") + "'";
    }
}
