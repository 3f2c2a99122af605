package io.jbpf.netpolicy.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code down} after a crash: no state left, only namespaces and a server process. */
@KernelTest
class LabDownTest {
    private static final String NAME = "d" + ProcessHandle.current().pid();
    private static final String SMALL = String.join("\n",
            "name: " + NAME,
            "underlay: 192.168.10.0/24",
            "outside: {ip: 203.0.113.10}",
            "nodes: [{name: n1, ip: 192.168.10.10, podCIDR: 172.16.0.0/24}]",
            "pods:",
            "  - {name: a, node: n1, ports: [{port: 7, protocol: UDP, server: echo}]}",
            "  - {name: b, node: n1}");

    @AfterEach
    void cleanUp() {
        Lab.down(NAME);
    }

    private static List<String> namespaces() {
        try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("jbpf-lab-" + NAME + "-")).toList();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void downFindsALabByItsPrefixWhenItsStateIsGone() throws Exception {
        Lab lab = Lab.up(LabSpec.parse(SMALL));
        LabProbe probe = new LabProbe(lab, Duration.ofSeconds(3));
        assertThat(probe.udpEcho("b", Ipv4.parse("172.16.0.10"), 7, new byte[] {42})).hasValue(new byte[] {42});
        Path ready = lab.stateDir().resolve(lab.names().pod(lab.spec().pod("a").orElseThrow()) + ".ready");
        long serverPid = Long.parseLong(Files.readString(ready).strip());
        // a process started in a pod by hand, as `jbpf lab exec b -- sleep` from another terminal would
        Process sleeper = new ProcessBuilder(lab.commandIn("b", List.of("sleep", "300")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();

        deleteTree(lab.stateDir()); // the crash: the state is lost, the namespaces and processes are not
        assertThat(namespaces()).hasSize(1 + 1 + 1 + 1 + 2);
        assertThat(Lab.list()).contains(NAME);

        assertThat(Lab.down(NAME)).isTrue();
        assertThat(namespaces()).isEmpty();
        assertThat(ProcessHandle.of(serverPid).map(p -> p.onExit().orTimeout(5, TimeUnit.SECONDS).join())
                .filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Lab.list()).doesNotContain(NAME);
    }

    @Test
    void upRemovesTheLeftoversOfACrashedLabOfTheSameName() {
        Shell.check("ip", "netns", "add", "jbpf-lab-" + NAME + "-n1");
        Shell.check("ip", "netns", "add", "jbpf-lab-" + NAME + "-stale");
        Lab lab = Lab.up(LabSpec.parse(SMALL));
        assertThat(namespaces()).doesNotContain("jbpf-lab-" + NAME + "-stale").hasSize(lab.members().size());
        assertThat(lab.exec("b", "ping", "-c", "1", "-W", "2", "172.16.0.10").ok()).isTrue();
        assertThat(lab.down()).isTrue();
        assertThat(namespaces()).isEmpty();
    }

    @Test
    void aDifferentSpecUnderTheSameNameReplacesTheLab() {
        Lab.up(LabSpec.parse(SMALL));
        Lab other = Lab.up(LabSpec.parse(SMALL.replace("  - {name: b, node: n1}", "  - {name: c, node: n1}")));
        assertThat(namespaces()).contains(other.names().pod(other.spec().pod("c").orElseThrow()))
                .doesNotContain("jbpf-lab-" + NAME + "-pod-default-b");
        assertThat(Lab.open(NAME).spec()).isEqualTo(other.spec());
    }

    @Test
    void downOfALabThatDoesNotExistRemovesNothing() {
        assertThat(Lab.down(NAME)).isFalse();
    }
}
