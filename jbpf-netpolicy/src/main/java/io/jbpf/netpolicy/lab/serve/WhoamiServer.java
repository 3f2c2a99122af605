package io.jbpf.netpolicy.lab.serve;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * An HTTP/1.x server answering every request as traefik/whoami does: {@code Hostname:}, one
 * {@code IP:} line per address of the namespace, {@code RemoteAddr:} (the client's address and
 * port as the server saw them), then the request line and headers as received, in order.
 */
public final class WhoamiServer implements AutoCloseable {
    private static final int MAX_HEAD = 64 * 1024;

    private final ServerSocket socket;
    private final String hostname;
    private final ExecutorService workers;

    private WhoamiServer(ServerSocket socket, String hostname, ExecutorService workers) {
        this.socket = socket;
        this.hostname = hostname;
        this.workers = workers;
    }

    /** Binds {@code port} on every address and serves on {@code workers}. */
    public static WhoamiServer start(int port, String hostname, ExecutorService workers) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(port), LabServer.BACKLOG);
        WhoamiServer server = new WhoamiServer(s, hostname, workers);
        workers.execute(server::acceptLoop);
        return server;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket c = socket.accept();
                workers.execute(() -> serve(c));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            c.setSoTimeout(30_000);
            InputStream in = new BufferedInputStream(c.getInputStream());
            OutputStream out = c.getOutputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            skipBody(in, head);
            byte[] body = body(head, (InetSocketAddress) c.getRemoteSocketAddress()).getBytes(StandardCharsets.UTF_8);
            String status = "HTTP/1.1 200 OK\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Length: " + body.length + "\r\n"
                    + "Connection: close\r\n\r\n";
            out.write(status.getBytes(StandardCharsets.US_ASCII));
            if (!head.get(0).startsWith("HEAD ")) {
                out.write(body);
            }
            out.flush();
        } catch (IOException e) {
            // the client went away or sent garbage: nothing to answer
        }
    }

    /** The whoami text for a request whose head (request line, headers) is {@code head}. */
    String body(List<String> head, InetSocketAddress remote) {
        StringBuilder b = new StringBuilder();
        b.append("Hostname: ").append(hostname).append('\n');
        for (String ip : addresses()) {
            b.append("IP: ").append(ip).append('\n');
        }
        b.append("RemoteAddr: ").append(remote.getAddress().getHostAddress()).append(':').append(remote.getPort()).append('\n');
        for (String line : head) {
            b.append(line).append('\n');
        }
        b.append('\n');
        return b.toString();
    }

    /** The addresses of this network namespace's interfaces. */
    static List<String> addresses() {
        List<String> ips = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    String text = a.getHostAddress();
                    int zone = text.indexOf('%');
                    ips.add(zone < 0 ? text : text.substring(0, zone));
                }
            }
        } catch (SocketException e) {
            // no interface list: answer without IP lines
        }
        return ips;
    }

    /** The request line and header lines, up to the blank line; empty at end of stream. */
    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int total = 0;
        int b;
        while ((b = in.read()) >= 0) {
            if (++total > MAX_HEAD) {
                throw new IOException("request head over " + MAX_HEAD + " bytes");
            }
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                if (s.endsWith("\r")) {
                    s = s.substring(0, s.length() - 1);
                }
                line.reset();
                if (s.isEmpty()) {
                    if (lines.isEmpty()) {
                        continue; // tolerate blank lines before the request line
                    }
                    return lines;
                }
                lines.add(s);
            } else {
                line.write(b);
            }
        }
        return List.of();
    }

    private static void skipBody(InputStream in, List<String> head) throws IOException {
        for (String h : head) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                long n = Long.parseLong(h.substring(colon + 1).trim());
                while (n > 0) {
                    long skipped = in.skip(n);
                    if (skipped <= 0) {
                        if (in.read() < 0) {
                            return;
                        }
                        skipped = 1;
                    }
                    n -= skipped;
                }
            }
        }
    }

    /** The bound port. */
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
