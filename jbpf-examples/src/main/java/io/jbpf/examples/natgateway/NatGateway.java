package io.jbpf.examples.natgateway;

import io.jbpf.core.dsl.nat.NatConfig;
import io.jbpf.core.dsl.nat.NatMaps;
import io.jbpf.core.dsl.nat.SourceNat;
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
import java.util.List;
import java.util.Map;

/**
 * A NAT gateway in eBPF, in network namespaces it makes: a private host (10.220.0.2) reaches a
 * "public" host (10.230.0.2) through a gateway namespace whose TC programs do source NAT on its
 * public interface (egress: translate to the gateway's address 10.230.0.1 and a port from
 * 30000..30999; ingress: translate replies back). The public host has no route to the private
 * network, so only translated traffic can be answered. With {@code xdp}, the translations run as XDP
 * programs instead and flows leave with the gateway's pool address {@value #GATEWAY_POOL} (see there).
 *
 * <p>It makes {@code connections} TCP connections from the private host to the public host's
 * server, which answers the address it sees each connection come from, and pings the public host
 * (ICMP echo, the identifier translated as the port).
 *
 * <pre>
 *  private 10.220.0.2 --- 10.220.0.1 [gateway: snat on "pub"] 10.230.0.1 --- 10.230.0.2 public
 * </pre>
 * Run it as root ({@code NatGateway [connections] [tc|xdp]}); checksum offload is off on every
 * interface, so the kernel checks every checksum.
 */
public final class NatGateway {
    static final String PUBLIC_HOST = "10.230.0.2";
    static final String GATEWAY_PUBLIC = "10.230.0.1";
    /**
     * The address flows leave with when the outgoing translation is XDP: it runs before routing,
     * and the kernel drops a packet arriving with one of its own addresses as source (a martian), so
     * XDP translates to a NAT pool address of the gateway that is not on its interfaces; the public
     * side routes it to the gateway, as a provider routes a customer's pool.
     */
    static final String GATEWAY_POOL = "10.230.0.3";
    static final int SERVER_PORT = 7000;
    static final int PORT_MIN = 30000;
    static final int PORT_MAX = 30999;

    private NatGateway() {}

    /** What a run saw: what the client was told, what the server recorded, pings answered. */
    record Result(List<String> answersToClient, List<String> peersSeenByServer, int pingsAnswered, int flowsTranslated) {}

    /** Builds the lab, runs the traffic, tears everything down (also on failure). */
    static Result run(int connections, int pings) {
        return run(connections, pings, false);
    }

    /**
     * As {@link #run(int, int)}; with {@code xdp} the translation of outgoing packets runs as XDP on
     * the gateway's private interface (before routing) and that of replies as XDP on its public one.
     */
    static Result run(int connections, int pings, boolean xdp) {
        String tag = "nat" + ProcessHandle.current().pid();
        List<AutoCloseable> open = new ArrayList<>();
        try (Lab lab = new Lab(tag)) {
            String priv = lab.namespace("private");
            String gw = lab.namespace("gw");
            String pub = lab.namespace("public");
            lab.sysctl(gw, "net.ipv4.ip_forward", "1");
            lab.link(priv, "eth0", "10.220.0.2/24", gw, "priv", "10.220.0.1/24");
            lab.link(gw, "pub", GATEWAY_PUBLIC + "/24", pub, "eth0", PUBLIC_HOST + "/24");
            lab.ip(priv, "route", "add", "default", "via", "10.220.0.1");

            NatMaps sizes = new NatMaps(4096);
            Map<String, KernelMap> maps = new HashMap<>();
            for (MapSpec s : sizes.specs()) {
                KernelMap m = KernelMap.create(s);
                open.add(m);
                maps.put(s.name(), m);
            }
            if (xdp) {
                lab.ip(pub, "route", "add", GATEWAY_POOL + "/32", "via", GATEWAY_PUBLIC);
                lab.sysctl(gw, "net.ipv4.conf.all.rp_filter", "0");
                lab.sysctl(gw, "net.ipv4.conf.priv.rp_filter", "0");
            }
            NatMaps.configure(maps, NatConfig.of(xdp ? GATEWAY_POOL : GATEWAY_PUBLIC, "10.220.0.0/24", PORT_MIN, PORT_MAX));
            Program egress = Program.load(xdp ? SourceNat.outbound(Target.XDP) : SourceNat.egress(), maps);
            open.add(egress);
            Program ingress = Program.load(xdp ? SourceNat.inbound(Target.XDP) : SourceNat.ingress(), maps);
            open.add(ingress);
            NetNamespace gwHandle = NetNamespace.open(gw);
            open.add(gwHandle);
            if (xdp) {
                open.add(gwHandle.run(() -> XdpLink.attach(egress, "priv", XdpMode.DEFAULT)));
                open.add(gwHandle.run(() -> XdpLink.attach(ingress, "pub", XdpMode.DEFAULT)));
            } else {
                open.add(gwHandle.run(() -> TcxLink.attach(egress, "pub", TcDirection.EGRESS)));
                open.add(gwHandle.run(() -> TcxLink.attach(ingress, "pub", TcDirection.INGRESS)));
            }

            NetNamespace pubHandle = NetNamespace.open(pub);
            open.add(pubHandle);
            WhoAmIServer server = new WhoAmIServer(pubHandle, SERVER_PORT);
            open.add(server);
            NetNamespace privHandle = NetNamespace.open(priv);
            open.add(privHandle);

            List<String> answers = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                Socket s = privHandle.run(() -> {
                    Socket c = new Socket();
                    c.setSoTimeout(5000);
                    c.connect(new InetSocketAddress(PUBLIC_HOST, SERVER_PORT), 5000);
                    return c;
                });
                try (s) {
                    s.getOutputStream().write("who am I?\n".getBytes(StandardCharsets.UTF_8));
                    String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                    answers.add(line == null ? "(connection closed)" : line);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            int answered = ping(priv, pings);
            int flows = 0;
            byte[] key = null;
            byte[] next = new byte[16];
            while (maps.get(NatMaps.FORWARD).nextKey(key, next)) {
                flows++;
                key = next.clone();
            }
            server.close();
            return new Result(answers, List.copyOf(server.peersSeen), answered, flows);
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

    private static int ping(String ns, int count) {
        String out = Lab.run(List.of("ip", "netns", "exec", ns, "ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "2",
                PUBLIC_HOST), true);
        for (String line : out.split("\n")) {
            if (line.contains("packets transmitted")) {
                return Integer.parseInt(line.split(",")[1].strip().split(" ")[0]);
            }
        }
        throw new IllegalStateException("ping printed no summary:\n" + out);
    }

    public static void main(String[] args) {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        boolean xdp = args.length > 1 && args[1].equalsIgnoreCase("xdp");
        Result r = run(connections, 3, xdp);
        System.out.printf("source NAT programs attached as %s%n", xdp ? "XDP" : "TC");
        System.out.printf("%d TCP connections from the private host 10.220.0.2 to %s:%d%n", connections, PUBLIC_HOST,
                SERVER_PORT);
        System.out.printf("the public host saw them come from: %s%n", r.peersSeenByServer());
        System.out.printf("and told the private host: %s%n", r.answersToClient());
        System.out.printf("ping through the gateway: %d of 3 answered; %d flows in the NAT table%n", r.pingsAnswered(),
                r.flowsTranslated());
        boolean ok = r.peersSeenByServer().size() == connections
                && r.peersSeenByServer().stream().allMatch(p -> p.startsWith((xdp ? GATEWAY_POOL : GATEWAY_PUBLIC) + ":"))
                && r.pingsAnswered() == 3;
        if (!ok) {
            System.err.println("the gateway did not translate as it should");
            System.exit(1);
        }
    }
}
