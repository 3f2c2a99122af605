package io.jbpf.netpolicy.health;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.netpolicy.lab.Ipv4;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Probes every node's two addresses in rounds, from one network namespace: each probe is an HTTP
 * {@code GET /hello} whose socket is made on the namespace's thread (so it leaves from that
 * namespace, with its routes and source addresses), then connected and read on a worker thread
 * with the timeout of the {@link HealthOptions}; all probes of a round run at once, so a round
 * takes at most one timeout however many nodes fail. The last round's results are kept.
 */
final class HealthProber implements AutoCloseable {
    /** One node to probe: its name and its two addresses. */
    record Target(String node, Ipv4 host, Ipv4 endpoint) {}

    private final String self;
    private final List<Target> targets;
    private final NetNamespace from;
    private final int port;
    private final ExecutorService workers;
    /** Every worker thread made, joined on close (the pool's termination comes before their end). */
    private final List<Thread> workerThreads = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread thread;
    private final Object lock = new Object();
    private HealthOptions options;
    private boolean wake;
    private volatile boolean closed;
    private volatile HealthReport last;

    HealthProber(String self, List<Target> targets, NetNamespace from, int port, HealthOptions options) {
        this.self = self;
        this.targets = List.copyOf(targets);
        this.from = from;
        this.port = port;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(Math.max(1, Math.min(2 * targets.size(), 8)), r -> {
            Thread t = new Thread(r, "jbpf-health-probe-" + self + "-" + n.incrementAndGet());
            t.setDaemon(true);
            workerThreads.add(t);
            return t;
        });
        this.thread = new Thread(this::loop, "jbpf-health-prober-" + self);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void loop() {
        while (!closed) {
            long start = System.nanoTime();
            try {
                last = round();
            } catch (InterruptedException e) {
                return;
            }
            synchronized (lock) {
                long due = start + options.interval().toNanos();
                while (!closed && !wake && due - System.nanoTime() > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(lock, due - System.nanoTime());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                wake = false;
            }
        }
    }

    /** One probe of every target's two addresses, all at once. */
    private HealthReport round() throws InterruptedException {
        Instant at = Instant.now();
        Duration timeout;
        synchronized (lock) {
            timeout = options.timeout();
        }
        List<Future<ProbeResult>> hosts = new ArrayList<>();
        List<Future<ProbeResult>> endpoints = new ArrayList<>();
        for (Target t : targets) {
            hosts.add(workers.submit(() -> probe(t.host(), timeout)));
            endpoints.add(workers.submit(() -> probe(t.endpoint(), timeout)));
        }
        List<NodeHealth> nodes = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            nodes.add(new NodeHealth(t.node(), t.node().equals(self), result(hosts.get(i), t.host(), at),
                    result(endpoints.get(i), t.endpoint(), at)));
        }
        return new HealthReport(at, nodes);
    }

    private ProbeResult result(Future<ProbeResult> f, Ipv4 address, Instant at) throws InterruptedException {
        try {
            return f.get();
        } catch (ExecutionException e) {
            // probe() catches what a probe can throw; anything else is reported the same way
            return new ProbeResult(address, port, false, Duration.ZERO, at, String.valueOf(e.getCause()));
        }
    }

    /** {@code GET /hello} to {@code address}: reachable when the status line is {@code 200} within {@code timeout}. */
    ProbeResult probe(Ipv4 address, Duration timeout) {
        Instant at = Instant.now();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        String error;
        try (SocketChannel ch = from.run(SocketChannel::open)) {
            Socket s = ch.socket();
            s.connect(new InetSocketAddress(InetAddress.getByAddress(address.bytes()), port), millisLeft(deadline));
            s.setSoTimeout(millisLeft(deadline));
            String request = "GET /hello HTTP/1.1\r\nHost: " + address + ":" + port
                    + "\r\nUser-Agent: jbpf-health\r\nConnection: close\r\n\r\n";
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            String status = statusLine(s.getInputStream());
            Duration latency = Duration.ofNanos(System.nanoTime() - start);
            if (status.startsWith("HTTP/1.1 200 ") || status.startsWith("HTTP/1.0 200 ")) {
                return new ProbeResult(address, port, true, latency, at, "");
            }
            error = status.isEmpty() ? "connection closed without an answer" : "answered " + status;
        } catch (SocketTimeoutException e) {
            error = "no answer within " + timeout.toMillis() + "ms";
        } catch (ConnectException e) {
            error = "connection refused";
        } catch (IOException | RuntimeException e) {
            error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new ProbeResult(address, port, false, Duration.ofNanos(System.nanoTime() - start), at, error);
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("probe deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    /** The first line of the answer, without its line end; empty when the connection closed first. */
    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n' && line.size() < 1024) {
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** The last round's results, empty until the first round has finished. */
    Optional<HealthReport> last() {
        return Optional.ofNullable(last);
    }

    HealthOptions options() {
        synchronized (lock) {
            return options;
        }
    }

    /** Uses {@code options} from now on; the next round starts at once. */
    void options(HealthOptions options) {
        synchronized (lock) {
            this.options = options;
            wake = true;
            lock.notifyAll();
        }
    }

    /** Stops probing; returns when the prober's threads have ended. */
    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        thread.interrupt();
        workers.shutdownNow();
        try {
            thread.join(5000);
            workers.awaitTermination(5, TimeUnit.SECONDS);
            for (Thread t : workerThreads) {
                t.join(1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
