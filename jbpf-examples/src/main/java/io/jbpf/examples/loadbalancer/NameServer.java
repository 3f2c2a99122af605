package io.jbpf.examples.loadbalancer;

import io.jbpf.core.netns.NetNamespace;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny TCP server in a network namespace: for every line a client sends it answers its own name
 * and a newline, until the client closes. The listening socket is made on the namespace's thread,
 * so it belongs to that namespace for good; accepting and serving then run on ordinary threads.
 */
final class NameServer implements AutoCloseable {
    private final String name;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final java.util.Set<Socket> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();

    NameServer(NetNamespace ns, String name, int port) {
        this.name = name;
        this.listener = ns.run(() -> {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return s;
        });
        this.acceptor = new Thread(this::acceptLoop, "name-server-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                connections.add(s);
                Thread t = new Thread(() -> serve(s), "name-server-" + name + "-conn");
                t.setDaemon(true);
                workers.add(t);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))) {
            OutputStream out = s.getOutputStream();
            while (in.readLine() != null) {
                out.write((name + "\n").getBytes(StandardCharsets.UTF_8));
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
        workers.forEach(NameServer::join);
    }

    private static void join(Thread t) {
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
