package io.jbpf.examples.natgateway;

import io.jbpf.core.netns.NetNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The "public" host's TCP server: for every line a client sends it answers the address and port
 * the connection came from, as it sees them ({@code 10.230.0.1:30123}), and remembers them. The
 * listening socket is made on the namespace's thread, so it belongs to that namespace.
 */
final class WhoAmIServer implements AutoCloseable {
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final List<Thread> workers = new CopyOnWriteArrayList<>();
    final List<String> peersSeen = new CopyOnWriteArrayList<>();

    WhoAmIServer(NetNamespace ns, int port) {
        this.listener = ns.run(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return s;
        });
        this.acceptor = new Thread(this::acceptLoop, "whoami-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "whoami-conn");
                t.setDaemon(true);
                workers.add(t);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        InetSocketAddress peer = (InetSocketAddress) s.getRemoteSocketAddress();
        String seen = peer.getAddress().getHostAddress() + ":" + peer.getPort();
        peersSeen.add(seen);
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            while (in.readLine() != null) {
                out.write((seen + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException e) {
            // the client went away, or close() closed it
        } finally {
            connections.remove(s);
        }
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        join(acceptor);
        for (Socket s : connections) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        workers.forEach(WhoAmIServer::join);
    }

    private static void join(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
