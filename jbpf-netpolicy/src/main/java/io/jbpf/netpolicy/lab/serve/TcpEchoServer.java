package io.jbpf.netpolicy.lab.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;

/** A TCP echo server: every connection gets back what it sends, until it closes its side. */
public final class TcpEchoServer implements AutoCloseable {
    private final ServerSocket socket;
    private final ExecutorService workers;

    private TcpEchoServer(ServerSocket socket, ExecutorService workers) {
        this.socket = socket;
        this.workers = workers;
    }

    /** Binds {@code port} on every address and serves on {@code workers}. */
    public static TcpEchoServer start(int port, ExecutorService workers) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(port), LabServer.BACKLOG);
        TcpEchoServer server = new TcpEchoServer(s, workers);
        workers.execute(server::acceptLoop);
        return server;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket c = socket.accept();
                workers.execute(() -> echo(c));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    private static void echo(Socket c) {
        try (c) {
            c.setSoTimeout(300_000);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            byte[] buf = new byte[16 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the peer went away
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
