package io.jbpf.netpolicy.conntrack;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R7;
import static io.jbpf.core.insn.Reg.R8;
import static io.jbpf.core.insn.Reg.R9;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.core.link.TcDirection;
import io.jbpf.core.link.TcxLink;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import io.jbpf.netpolicy.lab.Ipv4;
import io.jbpf.netpolicy.policy.Direction;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The steps in a stateful firewall on B's interface of a two-namespace lab, over real traffic:
 * B's egress hook lets B open connections (creating entries), B's ingress hook lets in only what
 * conntrack explains (replies, packets of established connections, related ICMP errors) and drops
 * new connections and untracked IPv4. B's TCP connection to A works, A's to B does not, an ICMP
 * port unreachable for B's UDP datagram reaches B's socket, B can ping A and A cannot ping B.
 */
@KernelTest
@Timeout(120)
@SuppressWarnings("try")
class ConntrackNetnsTest {
    private static final int TC_ACT_OK = 0, TC_ACT_SHOT = 2;

    /** The firewall of one hook; {@code stats} counts the lookup results (index = code, 4 = untracked). */
    static ProgramSpec firewall(String name, Direction hook, boolean allowNew) {
        int area = -ConntrackStep.AREA;
        Assembler a = new Assembler()
                .load(Size.W, R7, R1, 76).load(Size.W, R8, R1, 80)
                .mov(R2, R7).add(R2, 14).jgt(R2, R8, "pass")
                .load(Size.H, R2, R7, 12).toBe(R2, 16).jne(R2, 0x0800, "pass")   // ARP and the rest: not ours
                .add(R7, 14);
        ConntrackTuple.emit(a, R7, R8, hook, area, "untracked", "tuple");
        a.store(Size.W, R10, area + ConntrackStep.IDENTITY, 2);
        ConntrackStep.lookup(a, "ct", area, R9, "ct");
        a.label("count").store(Size.W, R10, area - 8, R9)
                .ldMap(R1, "stats").mov(R2, R10).add(R2, area - 8).call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "judge").mov(R1, 1).atomicAdd(Size.DW, R0, 0, R1)
                .label("judge")
                .jeq(R9, 4, "drop")
                .jne(R9, ConntrackResult.NEW.code(), "pass");
        if (allowNew) {
            ConntrackStep.create(a, "ct", area, "new");
            a.ja("pass");
        } else {
            a.ja("drop");
        }
        a.label("untracked").mov(R9, 4).ja("count")
                .label("drop").mov(R0, TC_ACT_SHOT).exit()
                .label("pass").mov(R0, TC_ACT_OK).exit();
        return ProgramSpec.builder(name, ProgramType.SCHED_CLS).instructions(a.build()).build();
    }

    static long stat(KernelMap stats, int index) {
        byte[] v = new byte[8];
        stats.lookup(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(index).array(), v);
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
    }

    @Test
    void onlyTrafficConntrackExplainsGetsIn() throws Exception {
        try (NetLab lab = NetLab.create(); NetNamespace nsA = NetNamespace.open(lab.nsA());
                NetNamespace nsB = NetNamespace.open(lab.nsB());
                KernelMap ct = KernelMap.create(ConntrackMap.spec("jbpf_ct_live", 1024));
                KernelMap stats = KernelMap.create(MapSpec.of("jbpf_ct_stats", MapType.ARRAY, 4, 8, 5));
                Program egress = Program.load(firewall("jbpf_ct_fw_eg", Direction.EGRESS, true),
                        Map.of("ct", ct, "stats", stats));
                Program ingress = Program.load(firewall("jbpf_ct_fw_in", Direction.INGRESS, false),
                        Map.of("ct", ct, "stats", stats));
                ServerSocket serverA = nsA.run(() -> new ServerSocket(8080, 5, InetAddress.getByName(lab.addressA())));
                ServerSocket serverB = nsB.run(() -> new ServerSocket(8081, 5, InetAddress.getByName(lab.addressB())))) {
            Thread echo = new Thread(() -> echoOnce(serverA), "jbpf-ct-echo");
            echo.setDaemon(true);
            echo.start();
            assertThat(lab.pingAtoB()).as("before the firewall").isTrue();

            try (TcxLink out = nsB.run(() -> TcxLink.attach(egress, NetLab.B_IF, TcDirection.EGRESS));
                    TcxLink in = nsB.run(() -> TcxLink.attach(ingress, NetLab.B_IF, TcDirection.INGRESS))) {
                // B opens a TCP connection to A: the handshake's and the echo's replies get in
                int localPort;
                try (Socket s = nsB.run(() -> {
                    Socket c = new Socket();
                    c.connect(new InetSocketAddress(lab.addressA(), 8080), 3000);
                    return c;
                })) {
                    s.setSoTimeout(3000);
                    localPort = s.getLocalPort();
                    OutputStream o = s.getOutputStream();
                    o.write("hello conntrack\n".getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    InputStream i = s.getInputStream();
                    byte[] back = i.readNBytes(16);
                    assertThat(new String(back, StandardCharsets.US_ASCII)).isEqualTo("hello conntrack\n");
                    ConntrackKey key = new ConntrackKey(Ipv4.parse(lab.addressB()), Ipv4.parse(lab.addressA()), localPort,
                            8080, 6, Direction.EGRESS);
                    ConntrackValue v = ConntrackMap.lookup(ct, key);
                    assertThat(v).as("entry of %s in %s", key, ConntrackMap.list(ct)).isNotNull();
                    assertThat(v.txPackets()).isGreaterThanOrEqualTo(3);           // SYN, ACK, data
                    assertThat(v.rxPackets()).isGreaterThanOrEqualTo(2);           // SYN-ACK, data
                    assertThat(v.txFlagsSeen() & 0x12).isEqualTo(0x12);
                    assertThat(v.rxFlagsSeen() & 0x12).isEqualTo(0x12);
                    assertThat(v.sourceIdentity()).isEqualTo(2);
                    long now = ConntrackMap.seconds(ConntrackMap.kernelNowNanos());
                    assertThat(v.lifetime() - now).isBetween(21590L, 21600L);
                    assertThat(stat(stats, ConntrackResult.REPLY.code())).isGreaterThanOrEqualTo(2);
                }
                echo.join(5000);
                // the connection closed both ways: the close timeout
                ConntrackKey key = new ConntrackKey(Ipv4.parse(lab.addressB()), Ipv4.parse(lab.addressA()), localPort,
                        8080, 6, Direction.EGRESS);
                long deadline = System.nanoTime() + 3_000_000_000L;
                while (!ConntrackMap.lookup(ct, key).closing() && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                ConntrackValue closed = ConntrackMap.lookup(ct, key);
                assertThat(closed.closing()).as("%s", closed).isTrue();
                assertThat(closed.lifetime() - ConntrackMap.seconds(ConntrackMap.kernelNowNanos())).isBetween(0L, 10L);

                // A cannot open a connection to B: its SYN is new at B's ingress
                long newBefore = stat(stats, ConntrackResult.NEW.code());
                assertThatThrownBy(() -> nsA.execute(() -> {
                    try (Socket c = new Socket()) {
                        c.connect(new InetSocketAddress(lab.addressB(), 8081), 1000);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                })).hasCauseInstanceOf(SocketTimeoutException.class);
                assertThat(stat(stats, ConntrackResult.NEW.code())).isGreaterThan(newBefore);

                // B's UDP datagram to a closed port of A: A's port unreachable is related and gets in
                long relatedBefore = stat(stats, ConntrackResult.RELATED.code());
                Throwable udp = nsB.run(() -> {
                    try (DatagramSocket d = new DatagramSocket(new InetSocketAddress(lab.addressB(), 0))) {
                        d.connect(new InetSocketAddress(lab.addressA(), 9999));
                        d.setSoTimeout(3000);
                        d.send(new DatagramPacket(new byte[] {1, 2, 3}, 3));
                        d.receive(new DatagramPacket(new byte[16], 16));
                        return null;
                    } catch (java.io.IOException e) {
                        return e;
                    }
                });
                assertThat(udp).isInstanceOf(PortUnreachableException.class);
                assertThat(stat(stats, ConntrackResult.RELATED.code())).isGreaterThan(relatedBefore);

                // pings: B to A is answered, A to B is not
                assertThat(Shell.run("ip", "netns", "exec", lab.nsB(), "ping", "-c", "2", "-i", "0.2", "-W", "1",
                        lab.addressA()).ok()).isTrue();
                assertThat(lab.pingAtoB()).isFalse();
                assertThat(ConntrackMap.list(ct).keySet()).allMatch(k -> k.direction() == Direction.EGRESS
                        && k.source().equals(Ipv4.parse(lab.addressB())));

                // the agent's GC 15 s from now: the closed TCP connection goes, UDP and ICMP stay
                GcResult gc = ConntrackMap.gc(ct, ConntrackMap.kernelNowNanos() + 15_000_000_000L);
                assertThat(gc.deleted()).isEqualTo(1);
                assertThat(ConntrackMap.lookup(ct, key)).isNull();
                assertThat(ConntrackMap.list(ct).keySet()).extracting(ConntrackKey::protocol).contains(17, 1);
            }
            assertThat(lab.pingAtoB()).as("after the firewall").isTrue();
        }
    }

    private static void echoOnce(ServerSocket server) {
        try (Socket s = server.accept()) {
            s.setSoTimeout(5000);
            byte[] b = s.getInputStream().readNBytes(16);
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            s.getInputStream().read(); // until B closes
        } catch (java.io.IOException e) {
            // the test's assertions tell what went wrong
        }
    }
}
