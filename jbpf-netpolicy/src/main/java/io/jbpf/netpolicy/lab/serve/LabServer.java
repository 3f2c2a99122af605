package io.jbpf.netpolicy.lab.serve;

import io.jbpf.netpolicy.lab.PortSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The built-in servers of one pod, in one process: whoami over HTTP, TCP echo and UDP echo on the
 * pod's ports. The lab starts it as its own process inside the pod's network namespace (so it
 * outlives the command that brought the lab up) with {@link #main}; it runs until killed.
 * Depends on nothing but the JDK, so its class path is this jar or class folder alone.
 */
public final class LabServer implements AutoCloseable {
    private final ExecutorService workers;
    private final List<AutoCloseable> servers;

    /**
     * The accept queue of the TCP servers: deep enough that a pause of the server's JVM at a few
     * thousand connections a second drops no SYN (the kernel caps it at {@code net.core.somaxconn}).
     */
    static final int BACKLOG = 4096;

    private LabServer(ExecutorService workers, List<AutoCloseable> servers) {
        this.workers = workers;
        this.servers = servers;
    }

    /**
     * Binds every port of {@code ports} in the calling process's network namespace and serves.
     *
     * @throws UncheckedIOException when a port cannot be bound (nothing stays bound then)
     */
    public static LabServer start(String hostname, List<PortSpec> ports) {
        ExecutorService workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "jbpf-lab-serve");
            t.setDaemon(false);
            return t;
        });
        List<AutoCloseable> servers = new ArrayList<>();
        LabServer server = new LabServer(workers, servers);
        try {
            for (PortSpec p : ports) {
                if (p.server() == PortSpec.Server.WHOAMI) {
                    servers.add(WhoamiServer.start(p.port(), hostname, workers));
                } else if (p.protocol() == PortSpec.Protocol.TCP) {
                    servers.add(TcpEchoServer.start(p.port(), workers));
                } else {
                    servers.add(UdpEchoServer.start(p.port(), workers));
                }
            }
            return server;
        } catch (IOException e) {
            server.close();
            throw new UncheckedIOException("cannot bind the lab's servers: " + e.getMessage(), e);
        }
    }

    /**
     * The arguments of {@link #main} for {@code hostname} serving {@code ports}, writing
     * {@code ready} once every port is bound.
     */
    public static List<String> arguments(String hostname, List<PortSpec> ports, Optional<Path> ready) {
        List<String> args = new ArrayList<>(List.of("--hostname", hostname));
        ready.ifPresent(r -> args.addAll(List.of("--ready", r.toString())));
        for (PortSpec p : ports) {
            String flag = p.server() == PortSpec.Server.WHOAMI ? "--whoami"
                    : p.protocol() == PortSpec.Protocol.TCP ? "--tcp-echo" : "--udp-echo";
            args.add(flag);
            args.add(Integer.toString(p.port()));
        }
        return args;
    }

    /** What {@link #main} serves, read back from its arguments. */
    public record Options(String hostname, List<PortSpec> ports, Optional<Path> ready) {
        /**
         * Parses {@code --hostname NAME [--ready FILE] (--whoami|--tcp-echo|--udp-echo PORT)...}.
         *
         * @throws IllegalArgumentException on an unknown flag, a missing value or a bad port
         */
        public static Options parse(String... args) {
            String hostname = null;
            Path ready = null;
            List<PortSpec> ports = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag + " needs a value");
                }
                String value = args[++i];
                switch (flag) {
                    case "--hostname":
                        hostname = value;
                        break;
                    case "--ready":
                        ready = Path.of(value);
                        break;
                    case "--whoami":
                        ports.add(new PortSpec("", port(value), PortSpec.Protocol.TCP, PortSpec.Server.WHOAMI));
                        break;
                    case "--tcp-echo":
                        ports.add(new PortSpec("", port(value), PortSpec.Protocol.TCP, PortSpec.Server.ECHO));
                        break;
                    case "--udp-echo":
                        ports.add(new PortSpec("", port(value), PortSpec.Protocol.UDP, PortSpec.Server.ECHO));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown option " + flag
                                + " (known: --hostname, --ready, --whoami, --tcp-echo, --udp-echo)");
                }
            }
            if (hostname == null) {
                throw new IllegalArgumentException("--hostname is required");
            }
            return new Options(hostname, ports, Optional.ofNullable(ready));
        }

        private static int port(String text) {
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a port number");
            }
        }
    }

    /** Serves per {@code args} (see {@link Options#parse}) until killed. */
    public static void main(String[] args) throws IOException {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("jbpf lab serve: " + e.getMessage());
            System.exit(2);
            return;
        }
        start(o.hostname(), o.ports());
        if (o.ready().isPresent()) {
            Path tmp = o.ready().get().resolveSibling(o.ready().get().getFileName() + ".tmp");
            Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, o.ready().get(), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        System.out.println("serving " + o.ports().size() + " port(s) as " + o.hostname());
        System.out.flush();
        // returning leaves the servers' threads, which are not daemons: the process lives until killed
    }

    @Override
    public void close() {
        for (AutoCloseable s : servers) {
            try {
                s.close();
            } catch (Exception e) {
                // closing a socket that is already closed
            }
        }
        workers.shutdownNow();
    }
}
