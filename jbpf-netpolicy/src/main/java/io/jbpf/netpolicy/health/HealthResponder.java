package io.jbpf.netpolicy.health;

import io.jbpf.core.netns.NetNamespace;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/**
 * A minimal HTTP/1.x responder for health probes, as Cilium's {@code cilium-health-responder}:
 * {@code GET /hello} (or {@code HEAD}) is answered {@code 200} with the responder's name, any other
 * path {@code 404}, any other method {@code 405}; every answer closes the connection. It listens on
 * one address and port inside a network namespace (the listening socket is made on the namespace's
 * thread, so it belongs to that namespace) and serves on one thread of its own with a selector: a
 * slow client holds up nobody, a connection that has not sent its request within
 * {@value #IDLE_MILLIS} ms is closed. {@link #close()} closes the listening socket and every open
 * connection and ends the thread.
 */
public final class HealthResponder implements AutoCloseable {
    /** The longest request head read. */
    static final int MAX_HEAD = 8 * 1024;
    /** How long a connection may stay open without a complete request. */
    static final long IDLE_MILLIS = 5_000;

    private final String name;
    private final InetSocketAddress address;
    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread thread;
    private volatile boolean closed;

    private HealthResponder(String name, InetSocketAddress address, ServerSocketChannel listener, Selector selector) {
        this.name = name;
        this.address = address;
        this.listener = listener;
        this.selector = selector;
        this.thread = new Thread(this::serve, "jbpf-health-responder-" + name);
        this.thread.setDaemon(true);
    }

    /**
     * Listens on {@code address:port} in {@code ns} and serves; {@code name} is what {@code /hello}
     * answers.
     *
     * @throws HealthException when the address cannot be bound (nothing stays open then)
     */
    public static HealthResponder start(NetNamespace ns, InetAddress address, int port, String name) {
        InetSocketAddress at = new InetSocketAddress(address, port);
        ServerSocketChannel listener = null;
        Selector selector = null;
        try {
            listener = ns.run(() -> {
                ServerSocketChannel ch = ServerSocketChannel.open();
                try {
                    ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                    ch.bind(at, 64);
                    return ch;
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    throw e;
                }
            });
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
            HealthResponder r = new HealthResponder(name, at, listener, selector);
            r.thread.start();
            return r;
        } catch (IOException | RuntimeException e) {
            closeQuietly(selector);
            closeQuietly(listener);
            throw new HealthException("cannot serve health probes on " + address.getHostAddress() + ":" + port
                    + " in network namespace " + ns.name() + ": " + e.getMessage(), e);
        }
    }

    /** A connection being read: its bytes so far and when it was accepted. */
    private static final class Request {
        final ByteBuffer head = ByteBuffer.allocate(MAX_HEAD);
        final long accepted = System.nanoTime();
    }

    private void serve() {
        try {
            while (!closed) {
                selector.select(1000);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        read(key);
                    }
                }
                closeIdle();
            }
        } catch (IOException | RuntimeException e) {
            // the selector was closed under us (close()) or failed: nothing more to serve
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
        }
    }

    private void accept() throws IOException {
        SocketChannel c;
        while ((c = listener.accept()) != null) {
            try {
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ, new Request());
            } catch (IOException e) {
                c.close();
            }
        }
    }

    private void read(SelectionKey key) {
        SocketChannel c = (SocketChannel) key.channel();
        Request req = (Request) key.attachment();
        try {
            int n = c.read(req.head);
            String head = new String(req.head.array(), 0, req.head.position(), StandardCharsets.ISO_8859_1);
            boolean complete = head.contains("\r\n\r\n") || head.contains("\n\n");
            if (n < 0 && !complete || !complete && !req.head.hasRemaining()) {
                key.cancel();
                c.close(); // gone before a whole request, or a head too long for a health check
                return;
            }
            if (complete) {
                key.cancel();
                answer(c, head);
            }
        } catch (IOException e) {
            key.cancel();
            closeQuietly(c);
        }
    }

    /** Writes the answer to the request {@code head} and closes. */
    private void answer(SocketChannel c, String head) throws IOException {
        try (c) {
            String line = head.lines().findFirst().orElse("");
            String[] parts = line.split(" ");
            String status;
            String body;
            if (parts.length < 2 || !parts[0].equals("GET") && !parts[0].equals("HEAD")) {
                status = "405 Method Not Allowed";
                body = "only GET and HEAD\n";
            } else if (!parts[1].equals("/hello")) {
                status = "404 Not Found";
                body = "only /hello\n";
            } else {
                status = "200 OK";
                body = name + "\n";
            }
            String text = "HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n"
                    + (parts[0].equals("HEAD") ? "" : body);
            ByteBuffer out = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
            // a few hundred bytes: an idle connection's send buffer takes them in one write; if it does
            // not, the client is not reading and gets what fit
            c.write(out);
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Request && now - ((Request) key.attachment()).accepted > IDLE_MILLIS * 1_000_000L) {
                key.cancel();
                closeQuietly(key.channel());
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // closing: nothing to report
            }
        }
    }

    /** Where it listens. */
    public InetSocketAddress address() {
        return address;
    }

    /** Whether its thread still serves. */
    public boolean isServing() {
        return thread.isAlive() && !closed;
    }

    /** Closes the listening socket and every open connection; returns when its thread has ended. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(listener);
    }
}
