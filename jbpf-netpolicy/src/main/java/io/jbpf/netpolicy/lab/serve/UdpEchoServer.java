package io.jbpf.netpolicy.lab.serve;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;

/** A UDP echo server: every datagram is sent back to where it came from. */
public final class UdpEchoServer implements AutoCloseable {
    private final DatagramSocket socket;

    private UdpEchoServer(DatagramSocket socket) {
        this.socket = socket;
    }

    /** Binds {@code port} on every address and serves on one thread of {@code workers}. */
    public static UdpEchoServer start(int port, ExecutorService workers) throws IOException {
        DatagramSocket s = new DatagramSocket(null);
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(port));
        UdpEchoServer server = new UdpEchoServer(s);
        workers.execute(server::loop);
        return server;
    }

    private void loop() {
        byte[] buf = new byte[65535];
        while (!socket.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                socket.receive(p);
                socket.send(new DatagramPacket(p.getData(), p.getOffset(), p.getLength(), p.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    /** The bound port. */
    public int port() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
