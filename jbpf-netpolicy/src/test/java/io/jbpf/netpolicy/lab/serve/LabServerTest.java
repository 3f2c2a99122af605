package io.jbpf.netpolicy.lab.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.netpolicy.lab.PortSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The built-in servers on loopback of the test's own namespace (ephemeral ports, nothing else). */
class LabServerTest {
    private final ExecutorService workers = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        workers.shutdownNow();
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.shutdownOutput(); // half-close: a client that sends nothing more
            return new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    @Test
    void whoamiEchoesTheRequestHeadInOrderAfterHostnameIpsAndRemoteAddr() throws IOException {
        try (WhoamiServer w = WhoamiServer.start(0, "pod-x", workers)) {
            String r = exchange(w.port(), "POST /a/b?c=d HTTP/1.1\r\nHost: here\r\nX-Second: 2\r\nx-first: 1\r\n"
                    + "Content-Length: 5\r\n\r\nhello");
            assertThat(r).startsWith("HTTP/1.1 200 OK\r\n");
            String body = r.substring(r.indexOf("\r\n\r\n") + 4);
            int length = Integer.parseInt(r.lines().filter(l -> l.startsWith("Content-Length: ")).findFirst()
                    .orElseThrow().substring("Content-Length: ".length()));
            assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(length);
            List<String> lines = body.lines().toList();
            assertThat(lines.get(0)).isEqualTo("Hostname: pod-x");
            assertThat(lines).contains("IP: 127.0.0.1");
            int remote = lines.indexOf(lines.stream().filter(l -> l.startsWith("RemoteAddr: 127.0.0.1:")).findFirst().orElseThrow());
            assertThat(lines.subList(remote + 1, remote + 6)).containsExactly("POST /a/b?c=d HTTP/1.1", "Host: here",
                    "X-Second: 2", "x-first: 1", "Content-Length: 5");
            assertThat(lines.subList(1, remote)).allMatch(l -> l.startsWith("IP: "));
        }
    }

    @Test
    void headGetsNoBodyAndAnEmptyConnectionGetsNothing() throws IOException {
        try (WhoamiServer w = WhoamiServer.start(0, "h", workers)) {
            String r = exchange(w.port(), "HEAD / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(r).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n").contains("Content-Length: ");
            assertThat(exchange(w.port(), "")).isEmpty();
        }
    }

    @Test
    void tcpEchoReturnsTheStreamAndUdpEchoEachDatagram() throws IOException {
        try (TcpEchoServer t = TcpEchoServer.start(0, workers); UdpEchoServer u = UdpEchoServer.start(0, workers)) {
            byte[] big = new byte[200_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) (i * 31);
            }
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), t.port())) {
                s.setSoTimeout(5000);
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                Thread reader = new Thread(() -> {
                    try {
                        s.getInputStream().transferTo(got);
                    } catch (IOException e) {
                        // asserted below
                    }
                });
                reader.start();
                s.getOutputStream().write(big);
                s.shutdownOutput();
                reader.join(10_000);
                assertThat(got.toByteArray()).isEqualTo(big);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            try (DatagramSocket d = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                d.setSoTimeout(5000);
                for (String m : List.of("one", "two")) {
                    byte[] b = m.getBytes(StandardCharsets.UTF_8);
                    d.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), u.port()));
                    DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                    d.receive(reply);
                    assertThat(new String(reply.getData(), 0, reply.getLength(), StandardCharsets.UTF_8)).isEqualTo(m);
                }
            }
        }
    }

    @Test
    void argumentsRoundTripAndBadOnesAreRefused() {
        List<PortSpec> ports = List.of(new PortSpec("", 80, PortSpec.Protocol.TCP, PortSpec.Server.WHOAMI),
                new PortSpec("", 7, PortSpec.Protocol.TCP, PortSpec.Server.ECHO),
                new PortSpec("", 7, PortSpec.Protocol.UDP, PortSpec.Server.ECHO));
        List<String> args = LabServer.arguments("web", ports, Optional.of(Path.of("/run/x.ready")));
        LabServer.Options o = LabServer.Options.parse(args.toArray(new String[0]));
        assertThat(o).isEqualTo(new LabServer.Options("web", ports, Optional.of(Path.of("/run/x.ready"))));
        assertThatThrownBy(() -> LabServer.Options.parse("--hostname", "a", "--http", "80"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--http");
        assertThatThrownBy(() -> LabServer.Options.parse("--whoami", "80")).hasMessageContaining("--hostname");
        assertThatThrownBy(() -> LabServer.Options.parse("--hostname", "a", "--udp-echo", "x")).hasMessageContaining("'x'");
        assertThatThrownBy(() -> LabServer.Options.parse("--hostname", "a", "--udp-echo", "0")).hasMessageContaining("1..65535");
        assertThatThrownBy(() -> LabServer.Options.parse("--hostname")).hasMessageContaining("needs a value");
    }
}
