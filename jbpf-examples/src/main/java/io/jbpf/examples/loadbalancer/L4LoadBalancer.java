package io.jbpf.examples.loadbalancer;

import io.jbpf.core.dsl.lb.Algorithm;
import io.jbpf.core.dsl.lb.LbMaps;
import io.jbpf.core.dsl.lb.LbPrograms;
import io.jbpf.core.dsl.lb.LoadBalancer;
import io.jbpf.core.dsl.lb.Maglev;
import io.jbpf.core.dsl.lb.ServiceKey;
import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.Protocol;
import io.jbpf.core.link.TcDirection;
import io.jbpf.core.link.TcxLink;
import io.jbpf.core.link.XdpLink;
import io.jbpf.core.link.XdpMode;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.examples.lab.Lab;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An L4 load balancer in eBPF, in network namespaces it makes: a client namespace reaches the
 * virtual address {@value #VIP}:{@value #VIP_PORT} through a load-balancer namespace, whose TC
 * programs pick one of three backend namespaces by Maglev table (remembering each connection's
 * backend in an LRU map), rewrite the destination to it, and give the replies the VIP back. Each
 * backend runs a tiny TCP server that answers its name.
 *
 * <p>It opens {@code connections} connections and counts which backend answered each; then, with
 * one long-lived connection open, removes a backend it is not on and shows that connection still
 * answers from the same backend, and that new connections avoid the removed one.
 *
 * <pre>
 *  client 10.210.0.2 --- 10.210.0.1 [lb: lb_ingress on "tocli", lb_reply on "tob1..3"] 10.210.i.1 --- 10.210.i.2 backend i
 * </pre>
 * Run it as root ({@code L4LoadBalancer [connections] [tc|xdp]}); checksum offload is off on every
 * interface, so the kernel checks every checksum.
 */
public final class L4LoadBalancer {
    static final String VIP = "10.210.100.1";
    static final int VIP_PORT = 80;
    static final int BACKEND_PORT = 8080;
    private static final LbMaps SIZES = new LbMaps(4, 16, Maglev.DEFAULT_SIZE, 4096);

    private L4LoadBalancer() {}

    /** What a run saw. */
    record Result(Map<String, Integer> answersPerBackend, String longLivedBackend, String removedBackend,
            List<String> longLivedAnswersAfterRemoval, Map<String, Integer> answersAfterRemoval) {}

    /** Builds the lab, runs the traffic, tears everything down (also on failure). */
    static Result run(int connections) {
        return run(connections, Target.TC_INGRESS);
    }

    /** As {@link #run(int)}, with the programs built for {@code target}: TC (TCX) or XDP, both on ingress. */
    static Result run(int connections, Target target) {
        String tag = "lb" + ProcessHandle.current().pid();
        List<AutoCloseable> open = new ArrayList<>();
        try (Lab lab = new Lab(tag)) {
            String client = lab.namespace("client");
            String lbNs = lab.namespace("lb");
            lab.sysctl(lbNs, "net.ipv4.ip_forward", "1");
            lab.link(client, "eth0", "10.210.0.2/24", lbNs, "tocli", "10.210.0.1/24");
            lab.ip(client, "route", "add", VIP + "/32", "via", "10.210.0.1");
            List<String> backendNs = new ArrayList<>();
            List<Endpoint> backends = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                String ns = lab.namespace("b" + i);
                lab.link(lbNs, "tob" + i, "10.210." + i + ".1/24", ns, "eth0", "10.210." + i + ".2/24");
                lab.ip(ns, "route", "add", "default", "via", "10.210." + i + ".1");
                backendNs.add(ns);
                backends.add(Endpoint.of("10.210." + i + ".2", BACKEND_PORT));
            }

            Map<String, KernelMap> maps = new HashMap<>();
            for (MapSpec s : SIZES.specs()) {
                KernelMap m = KernelMap.create(s);
                open.add(m);
                maps.put(s.name(), m);
            }
            ServiceKey web = new ServiceKey(Endpoint.of(VIP, VIP_PORT), Protocol.TCP);
            LoadBalancer control = new LoadBalancer(SIZES, maps);
            control.setService(web, Algorithm.MAGLEV, backends);

            LbPrograms progs = new LbPrograms(SIZES, target);
            Program ingress = Program.load(progs.ingress(), maps);
            open.add(ingress);
            Program reply = Program.load(progs.reply(), maps);
            open.add(reply);
            NetNamespace lbHandle = NetNamespace.open(lbNs);
            open.add(lbHandle);
            open.add(lbHandle.run(() -> attach(ingress, "tocli", target)));
            for (int i = 1; i <= 3; i++) {
                String ifname = "tob" + i;
                open.add(lbHandle.run(() -> attach(reply, ifname, target)));
            }
            Map<String, String> nameOf = new HashMap<>();
            for (int i = 0; i < 3; i++) {
                NetNamespace ns = NetNamespace.open(backendNs.get(i));
                open.add(ns);
                open.add(new NameServer(ns, "backend-" + (i + 1), BACKEND_PORT));
                nameOf.put("backend-" + (i + 1), backends.get(i).toString());
            }
            NetNamespace clientHandle = NetNamespace.open(client);
            open.add(clientHandle);

            Map<String, Integer> spread = new LinkedHashMap<>();
            for (int i = 0; i < connections; i++) {
                try (Connection c = Connection.open(clientHandle)) {
                    spread.merge(c.ask(), 1, Integer::sum);
                }
            }
            try (Connection longLived = Connection.open(clientHandle)) {
                String first = longLived.ask();
                int removedIndex = first.equals("backend-1") ? 1 : 0;
                String removed = "backend-" + (removedIndex + 1);
                List<Endpoint> remaining = new ArrayList<>(backends);
                remaining.remove(removedIndex);
                control.setService(web, Algorithm.MAGLEV, remaining);
                List<String> after = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    after.add(longLived.ask());
                }
                Map<String, Integer> spreadAfter = new LinkedHashMap<>();
                for (int i = 0; i < connections; i++) {
                    try (Connection c = Connection.open(clientHandle)) {
                        spreadAfter.merge(c.ask(), 1, Integer::sum);
                    }
                }
                return new Result(spread, first, removed, after, spreadAfter);
            }
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                try {
                    open.get(i).close();
                } catch (Exception e) {
                    System.err.println("closing " + open.get(i) + ": " + e);
                }
            }
        }
    }

    private static AutoCloseable attach(Program p, String ifname, Target target) {
        return target == Target.XDP ? XdpLink.attach(p, ifname, XdpMode.DEFAULT)
                : TcxLink.attach(p, ifname, TcDirection.INGRESS);
    }

    /** A client connection to the VIP, made in the client namespace. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final BufferedReader in;

        private Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        }

        static Connection open(NetNamespace client) {
            return client.run(() -> {
                Socket s = new Socket();
                s.setSoTimeout(5000);
                s.connect(new InetSocketAddress(VIP, VIP_PORT), 5000);
                return new Connection(s);
            });
        }

        String ask() {
            try {
                socket.getOutputStream().write("who?\n".getBytes(StandardCharsets.UTF_8));
                String line = in.readLine();
                if (line == null) {
                    throw new IllegalStateException("the server closed the connection");
                }
                return line;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static void main(String[] args) {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Target target = args.length > 1 && args[1].equalsIgnoreCase("xdp") ? Target.XDP : Target.TC_INGRESS;
        Result r = run(connections, target);
        System.out.printf("load balancer programs attached as %s%n", target);
        System.out.printf("%d connections to %s:%d, answered by: %s%n", connections, VIP, VIP_PORT, r.answersPerBackend());
        System.out.printf("a long-lived connection was answered by %s; %s was then removed%n", r.longLivedBackend(),
                r.removedBackend());
        System.out.printf("the long-lived connection went on being answered by: %s%n", r.longLivedAnswersAfterRemoval());
        System.out.printf("%d new connections after the removal, answered by: %s%n", connections, r.answersAfterRemoval());
        boolean ok = r.answersPerBackend().size() == 3
                && r.longLivedAnswersAfterRemoval().stream().allMatch(r.longLivedBackend()::equals)
                && !r.answersAfterRemoval().containsKey(r.removedBackend());
        if (!ok) {
            System.err.println("the load balancer did not behave as it should");
            System.exit(1);
        }
    }
}
