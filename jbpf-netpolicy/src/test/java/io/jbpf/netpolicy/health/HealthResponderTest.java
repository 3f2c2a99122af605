package io.jbpf.netpolicy.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.netpolicy.lab.Ipv4;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The responder and the prober on their own, in two namespaces joined by a veth pair (no agent, no
 * datapath): what the responder answers, and what the prober reports for an answering address, a
 * refusing one and a silent one; both leave no thread and no fd behind.
 */
@KernelTest
class HealthResponderTest {
    NetLab net;
    NetNamespace a;
    NetNamespace b;
    HealthResponder responder;

    @BeforeEach
    void up() throws Exception {
        net = NetLab.create();
        a = NetNamespace.open(net.nsA());
        b = NetNamespace.open(net.nsB());
        responder = HealthResponder.start(b, InetAddress.getByName(net.addressB()), ClusterHealth.PORT, "node-b");
    }

    @AfterEach
    void down() {
        try {
            responder.close();
            a.close();
            b.close();
        } finally {
            net.close();
        }
    }

    /** Sends {@code request} from namespace A to B's responder and returns all it answered. */
    String exchange(String request) {
        return a.run(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(net.addressB(), ClusterHealth.PORT), 2000);
                s.setSoTimeout(2000);
                s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
                InputStream in = s.getInputStream();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                return out.toString(StandardCharsets.UTF_8);
            }
        });
    }

    @Test
    void answersHelloOnlyAndHoldsUpNobody() throws Exception {
        // a client that connects and sends nothing, another whose request never ends
        try (SocketChannel idle = a.run(() -> SocketChannel.open(new InetSocketAddress(net.addressB(), ClusterHealth.PORT)));
                SocketChannel slow = a.run(() -> SocketChannel.open(new InetSocketAddress(net.addressB(), ClusterHealth.PORT)))) {
            slow.write(java.nio.ByteBuffer.wrap("GET /hello HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)));
            String ok = exchange("GET /hello HTTP/1.1\r\nHost: b\r\n\r\n");
            assertThat(ok).startsWith("HTTP/1.1 200 OK\r\n").contains("Connection: close\r\n").endsWith("\r\n\r\nnode-b\n");
        }
        assertThat(exchange("HEAD /hello HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n");
        assertThat(exchange("GET /metrics HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(exchange("POST /hello HTTP/1.1\r\nContent-Length: 0\r\n\r\n")).startsWith("HTTP/1.1 405 ");
        // a request head over the limit is not answered
        assertThat(exchange("GET /hello HTTP/1.1\r\nX: " + "y".repeat(HealthResponder.MAX_HEAD) + "\r\n\r\n")).isEmpty();
        assertThat(responder.isServing()).isTrue();
    }

    @Test
    void theProberReportsAnsweringRefusingAndSilentAddresses() throws Exception {
        Ipv4 answering = Ipv4.parse(net.addressB());
        Ipv4 refusing = Ipv4.parse(net.addressA()); // A's own address: nothing listens there
        Ipv4 silent = answering.plus(100); // on the link, held by nobody: ARP goes unanswered
        HealthOptions options = new HealthOptions(Duration.ofMillis(100), Duration.ofMillis(500));
        HealthReport report;
        try (HealthProber prober = new HealthProber("a", List.of(new HealthProber.Target("b", answering, silent),
                new HealthProber.Target("a", refusing, answering)), a, ClusterHealth.PORT, options)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Optional<HealthReport> r;
            while ((r = prober.last()).isEmpty()) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(20);
            }
            report = r.get();
        }
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("jbpf-health-prob"));
        NodeHealth b = report.nodes().get(0);
        NodeHealth self = report.nodes().get(1);
        assertThat(b.node()).isEqualTo("b");
        assertThat(b.local()).isFalse();
        assertThat(self.local()).isTrue();
        assertThat(b.host().reachable()).isTrue();
        assertThat(b.host().error()).isEmpty();
        assertThat(b.host().latency()).isPositive().isLessThan(options.timeout());
        assertThat(b.endpoint().reachable()).isFalse();
        assertThat(b.endpoint().error()).isEqualTo("no answer within 500ms");
        assertThat(b.endpoint().latency()).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        assertThat(b.reachable()).isFalse();
        assertThat(self.host().reachable()).isFalse();
        assertThat(self.host().error()).isEqualTo("connection refused");
        assertThat(self.endpoint().reachable()).isTrue();
        assertThat(report.reachable()).isZero();
        assertThat(report.probed()).isBeforeOrEqualTo(b.host().time());
    }

    @Test
    void closingStopsServing() {
        responder.close();
        assertThat(responder.isServing()).isFalse();
        assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("jbpf-health-responder-"));
        // the port refuses: nothing listens any more
        assertThat(a.run(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(net.addressB(), ClusterHealth.PORT), 2000);
                return "connected";
            } catch (java.net.ConnectException e) {
                return "refused";
            }
        })).isEqualTo("refused");
        responder.close(); // a second close does nothing
    }
}
