package io.jbpf.netpolicy.lab;

import io.jbpf.core.netns.NetNamespace;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Clients that run inside a lab member's network namespace without starting a process: the
 * sockets are made on a thread that entered the namespace ({@link NetNamespace}), so they are the
 * member's sockets. For checking reachability (HTTP to whoami, TCP and UDP echo).
 */
public final class LabProbe {
    private final Lab lab;
    private final Duration timeout;

    /** Probes of {@code lab}, each waiting at most {@code timeout} for a connection or an answer. */
    public LabProbe(Lab lab, Duration timeout) {
        this.lab = lab;
        this.timeout = timeout;
    }

    private <T> T in(String member, Callable<T> task) {
        try (NetNamespace ns = NetNamespace.open(lab.namespaceOf(member))) {
            return ns.run(task);
        }
    }

    private int millis() {
        return (int) Math.max(1, timeout.toMillis());
    }

    /**
     * {@code GET path} from {@code from} to {@code to:port}; returns the response body.
     *
     * @throws LabException when the connection fails or the status is not 200
     */
    public String httpGet(String from, Ipv4 to, int port, String path) {
        return in(from, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address(to), port), millis());
                s.setSoTimeout(millis());
                String request = "GET " + path + " HTTP/1.1\r\nHost: " + to + (port == 80 ? "" : ":" + port)
                        + "\r\nUser-Agent: jbpf-lab-probe\r\nAccept: */*\r\nConnection: close\r\n\r\n";
                s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                String response = new String(readAll(s.getInputStream()), StandardCharsets.UTF_8);
                int end = response.indexOf("\r\n\r\n");
                if (!response.startsWith("HTTP/1.1 200 ") || end < 0) {
                    throw new LabException("HTTP from " + from + " to " + to + ":" + port + " answered: "
                            + response.lines().findFirst().orElse("(nothing)"));
                }
                return response.substring(end + 4);
            } catch (IOException e) {
                throw new LabException("HTTP from " + from + " to " + to + ":" + port + " failed: " + e, e);
            }
        });
    }

    /**
     * Sends {@code payload} over TCP from {@code from} to {@code to:port}, closes its sending side
     * and returns all that came back.
     *
     * @throws LabException when the connection fails or times out
     */
    public byte[] tcpEcho(String from, Ipv4 to, int port, byte[] payload) {
        return in(from, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address(to), port), millis());
                s.setSoTimeout(millis());
                s.getOutputStream().write(payload);
                s.shutdownOutput();
                return readAll(s.getInputStream());
            } catch (IOException e) {
                throw new LabException("TCP from " + from + " to " + to + ":" + port + " failed: " + e, e);
            }
        });
    }

    /**
     * Sends {@code payload} as one UDP datagram from {@code from} to {@code to:port}; returns the
     * first datagram that comes back, or empty when none does within the timeout.
     */
    public Optional<byte[]> udpEcho(String from, Ipv4 to, int port, byte[] payload) {
        return in(from, () -> {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(millis());
                s.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(address(to), port)));
                byte[] buf = new byte[65535];
                DatagramPacket reply = new DatagramPacket(buf, buf.length);
                s.receive(reply);
                return Optional.of(Arrays.copyOfRange(buf, 0, reply.getLength()));
            } catch (SocketTimeoutException e) {
                return Optional.<byte[]>empty();
            } catch (IOException e) {
                throw new LabException("UDP from " + from + " to " + to + ":" + port + " failed: " + e, e);
            }
        });
    }

    /**
     * Whether a TCP connection from {@code from} to {@code to:port} is answered within the timeout
     * (an accept or a reset both show the packets got through; silence means they were dropped).
     */
    public boolean tcpReaches(String from, Ipv4 to, int port) {
        return in(from, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address(to), port), millis());
                return true;
            } catch (java.net.ConnectException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (IOException e) {
                throw new LabException("TCP from " + from + " to " + to + ":" + port + " failed: " + e, e);
            }
        });
    }

    private static InetAddress address(Ipv4 ip) throws IOException {
        return InetAddress.getByAddress(ip.bytes());
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}
