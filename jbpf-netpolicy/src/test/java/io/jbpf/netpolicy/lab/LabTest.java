package io.jbpf.netpolicy.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.Shell;
import io.jbpf.netpolicy.lab.internal.ConcurrentProbes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The default lab, brought up once for the class: real namespaces, real routing, real servers. */
@KernelTest
class LabTest {
    private static final String NAME = "t" + ProcessHandle.current().pid();
    private static final Ipv4 WEBPOD1 = Ipv4.parse("172.16.1.10");
    private static final Ipv4 WEBPOD2 = Ipv4.parse("172.16.2.10");

    private static List<String> rootRoutesBefore;
    private static Lab lab;
    private static LabProbe probe;

    @BeforeAll
    static void up() {
        rootRoutesBefore = labRoutesInRoot();
        lab = Lab.up(LabSpec.defaultSpec().withName(NAME));
        probe = new LabProbe(lab, Duration.ofSeconds(3));
    }

    @AfterAll
    static void down() {
        if (lab == null) {
            Lab.down(NAME);
            return;
        }
        assertThat(Lab.down(NAME)).isTrue();
        assertThat(namespacesWithPrefix()).isEmpty();
        assertThat(Lab.list()).doesNotContain(NAME);
        assertThat(lab.stateDir()).doesNotExist();
        assertThat(Lab.down(NAME)).as("a second down has nothing left to remove").isFalse();
    }

    private static List<String> namespacesWithPrefix() {
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("jbpf-lab-" + NAME + "-")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyMemberIsANamespaceOfItsOwnAndThePodsServe() {
        List<LabMember> members = lab.members();
        assertThat(members).allMatch(LabMember::present);
        assertThat(members).extracting(LabMember::namespace).allMatch(n -> n.startsWith("jbpf-lab-" + NAME + "-"));
        assertThat(namespacesWithPrefix()).hasSize(members.size()).hasSize(1 + 1 + 3 + 3 + 3);
        assertThat(members).filteredOn(m -> m.name().startsWith("default/webpod")).allMatch(m -> m.processes() == 1);
        assertThat(members).filteredOn(m -> m.name().equals("default/netpod")).allMatch(m -> m.processes() == 0);
        assertThat(Lab.list()).contains(NAME);
        assertThat(Lab.open(NAME).spec()).isEqualTo(lab.spec());
    }

    @Test
    void podHasA32AndADefaultRouteViaItsRouter() {
        String addr = lab.exec("webpod1", "ip", "-4", "-o", "addr", "show", "dev", "eth0").output();
        assertThat(addr).contains("inet 172.16.1.10/32");
        assertThat(lab.exec("webpod1", "ip", "route").output()).contains("default via 172.16.1.1 dev eth0");
        String nodeRoutes = lab.exec("k8s-w1", "ip", "route").output();
        assertThat(nodeRoutes).contains("172.16.1.10 dev " + LabNames.lxc(lab.spec().pod("webpod1").orElseThrow()))
                .contains("172.16.0.0/24 via 192.168.10.10 dev eth0")
                .contains("172.16.2.0/24 via 192.168.10.102 dev eth0")
                .doesNotContain("vxlan");
    }

    @Test
    void podPingsItsRouterACrossNodePodTheOutsideAndAnotherNodesHealth() {
        for (String target : List.of("172.16.0.1", "172.16.1.10", "172.16.2.10", "203.0.113.10", "172.16.2.2")) {
            ExecResult r = lab.exec("netpod", "ping", "-c", "1", "-W", "2", target);
            assertThat(r.ok()).as("netpod pings " + target + ": " + r.output()).isTrue();
        }
        ExecResult fromOutside = lab.exec("outside", "ping", "-c", "1", "-W", "2", "172.16.1.10");
        assertThat(fromOutside.ok()).as(fromOutside.output()).isTrue();
    }

    @Test
    void anAddressNoPodHoldsIsUnreachable() {
        ExecResult r = lab.exec("netpod", "ping", "-c", "1", "-W", "1", "172.16.1.99");
        assertThat(r.ok()).isFalse();
        assertThat(r.output()).containsAnyOf("Unreachable", "unreachable", "100% packet loss");
    }

    @Test
    void whoamiAnswersWithHostnameAndTheClientsAddress() {
        String body = probe.httpGet("netpod", WEBPOD1, 80, "/hello?x=1");
        List<String> lines = body.lines().toList();
        assertThat(lines.get(0)).isEqualTo("Hostname: webpod1");
        assertThat(lines).contains("IP: 172.16.1.10", "IP: 127.0.0.1", "GET /hello?x=1 HTTP/1.1",
                "Host: 172.16.1.10", "User-Agent: jbpf-lab-probe");
        assertThat(lines).filteredOn(l -> l.startsWith("RemoteAddr: ")).singleElement()
                .satisfies(l -> assertThat(l).matches("RemoteAddr: 172\\.16\\.0\\.10:\\d+"));
    }

    @Test
    void curlInAPodThroughExecReachesWhoamiOnAnotherNode() {
        ExecResult r = lab.exec("webpod2", "curl", "-s", "--max-time", "5", "-H", "X-Lab: yes", "http://172.16.1.10/");
        assertThat(r.ok()).as(r.output()).isTrue();
        assertThat(r.output()).contains("Hostname: webpod1").contains("RemoteAddr: 172.16.2.10:").contains("X-Lab: yes");
    }

    @Test
    void tcpAndUdpEcho() {
        byte[] payload = "ping across nodes".getBytes(StandardCharsets.UTF_8);
        assertThat(probe.tcpEcho("netpod", WEBPOD2, 7, payload)).isEqualTo(payload);
        assertThat(probe.udpEcho("netpod", WEBPOD2, 7, payload)).hasValue(payload);
        assertThat(probe.udpEcho("webpod1", WEBPOD2, 7, new byte[] {1, 2, 3})).hasValue(new byte[] {1, 2, 3});
    }

    @Test
    void portsNobodyServesDoNotAnswer() {
        assertThat(probe.udpEcho("netpod", WEBPOD2, 9, new byte[] {1})).isEmpty();
        assertThatThrownBy(() -> probe.tcpEcho("netpod", WEBPOD2, 9, new byte[] {1}))
                .isInstanceOf(LabException.class).hasMessageContaining("refused");
    }

    @Test
    void aProbeIsReachableOnlyWithTheAnswerSilentOnlyWhenNothingCameBack() {
        PortSpec whoami = new PortSpec("", 80, PortSpec.Protocol.TCP, PortSpec.Server.WHOAMI);
        PortSpec tcpEcho = new PortSpec("", 7, PortSpec.Protocol.TCP, PortSpec.Server.ECHO);
        PortSpec udpEcho = new PortSpec("", 7, PortSpec.Protocol.UDP, PortSpec.Server.ECHO);
        String from = lab.namespaceOf("netpod");
        List<ConcurrentProbes.Target> targets = List.of(
                new ConcurrentProbes.Target(from, WEBPOD1, whoami, "whoami"),
                new ConcurrentProbes.Target(from, WEBPOD1, tcpEcho, "tcp echo"),
                new ConcurrentProbes.Target(from, WEBPOD1, udpEcho, "udp echo"),
                // nobody listens on 81: a reset, an ICMP port unreachable
                new ConcurrentProbes.Target(from, WEBPOD1, new PortSpec("", 81, PortSpec.Protocol.TCP, PortSpec.Server.ECHO), "tcp 81"),
                new ConcurrentProbes.Target(from, WEBPOD1, new PortSpec("", 81, PortSpec.Protocol.UDP, PortSpec.Server.ECHO), "udp 81"),
                // whoami waits for an HTTP request that never ends: accepted, then silent
                new ConcurrentProbes.Target(from, WEBPOD1, new PortSpec("", 80, PortSpec.Protocol.TCP, PortSpec.Server.ECHO), "mute"),
                // echo sends the request back, not a status line
                new ConcurrentProbes.Target(from, WEBPOD1, new PortSpec("", 7, PortSpec.Protocol.TCP, PortSpec.Server.WHOAMI), "wrong"),
                // dropped in webpod2 (below): nothing comes back
                new ConcurrentProbes.Target(from, WEBPOD2, whoami, "dropped tcp"),
                new ConcurrentProbes.Target(from, WEBPOD2, udpEcho, "dropped udp"),
                new ConcurrentProbes.Target(from, WEBPOD2, tcpEcho, "not dropped"));
        assertThat(lab.exec("webpod2", "iptables", "-I", "INPUT", "-p", "tcp", "--dport", "80", "-j", "DROP").ok()).isTrue();
        assertThat(lab.exec("webpod2", "iptables", "-I", "INPUT", "-p", "udp", "--dport", "7", "-j", "DROP").ok()).isTrue();
        List<ConcurrentProbes.Outcome> out;
        long t0 = System.nanoTime();
        try {
            out = ConcurrentProbes.run(targets, Duration.ofMillis(500).toNanos());
        } finally {
            lab.exec("webpod2", "iptables", "-F", "INPUT");
        }
        long took = System.nanoTime() - t0;
        assertThat(out).extracting(ConcurrentProbes.Outcome::result).containsExactly(
                LabConnectivity.Result.REACHABLE, LabConnectivity.Result.REACHABLE, LabConnectivity.Result.REACHABLE,
                LabConnectivity.Result.ANOMALOUS, LabConnectivity.Result.ANOMALOUS, LabConnectivity.Result.ANOMALOUS,
                LabConnectivity.Result.ANOMALOUS, LabConnectivity.Result.UNREACHABLE, LabConnectivity.Result.UNREACHABLE,
                LabConnectivity.Result.REACHABLE);
        assertThat(out.get(3).detail()).contains("refused");
        assertThat(out.get(4).detail()).contains("ICMP port unreachable");
        assertThat(out.get(5).detail()).contains("accepted, but no answer");
        assertThat(out.get(6).detail()).contains("answered 'GET /jbpf-pro'");
        assertThat(out.get(0).answerNanos()).isPositive();
        assertThat(out.get(7).answerNanos()).isZero();
        assertThat(took).as("the silent ones waited the whole timeout").isGreaterThanOrEqualTo(Duration.ofMillis(500).toNanos());
    }

    @Test
    void execReturnsExitCodeAndOutput() {
        ExecResult r = lab.exec("netpod", "sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.output()).contains("out").contains("err");
        assertThat(lab.exec("default/netpod", "ip", "-o", "link", "show", "eth0").output()).contains("eth0");
        assertThatThrownBy(() -> lab.exec("nopod", "true")).isInstanceOf(LabException.class)
                .hasMessageContaining("default/webpod1").hasMessageContaining("k8s-w2");
    }

    @Test
    void upAgainWithTheSameSpecKeepsTheRunningLab() throws IOException {
        Path ready = lab.stateDir().resolve(lab.names().pod(lab.spec().pod("webpod1").orElseThrow()) + ".ready");
        long pid = Long.parseLong(Files.readString(ready).strip());
        Lab again = Lab.up(LabSpec.defaultSpec().withName(NAME));
        assertThat(again.spec()).isEqualTo(lab.spec());
        assertThat(Long.parseLong(Files.readString(ready).strip())).isEqualTo(pid);
        assertThat(ProcessHandle.of(pid)).isPresent();
    }

    /** The root namespace's routes that mention the lab's prefixes (other tests may add others meanwhile). */
    private static List<String> labRoutesInRoot() {
        return Shell.check("ip", "-4", "route", "show", "table", "all").lines()
                .filter(l -> l.contains("172.16.") || l.contains("192.168.10.") || l.contains("203.0.113."))
                .toList();
    }

    @Test
    void theRootNamespaceGetsNothing() {
        assertThat(labRoutesInRoot()).isEqualTo(rootRoutesBefore);
        String links = Shell.check("ip", "-o", "link", "show");
        assertThat(links).doesNotContain("lxc").doesNotContain("jbpf_host").doesNotContain("jbpf-lab");
    }
}
