package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code jbpf lab}: up from a file, status, exec, down, and a bad file. */
@KernelTest
class LabCommandTest {
    private static final String NAME = "c" + ProcessHandle.current().pid();

    @TempDir
    Path dir;

    @Test
    void upStatusExecDown() throws Exception {
        Path file = dir.resolve("lab.yaml");
        Files.writeString(file, String.join("\n",
                "underlay: 192.168.10.0/24",
                "outside: {ip: 203.0.113.10}",
                "nodes:",
                "  - {name: n1, ip: 192.168.10.10, podCIDR: 172.16.0.0/24}",
                "  - {name: n2, ip: 192.168.10.11, podCIDR: 172.16.1.0/24}",
                "pods:",
                "  - {name: client, node: n1, labels: {app: client}}",
                "  - {name: web, node: n2, ports: [{port: 80}]}",
                ""));
        try {
            CliRun up = CliRun.of("lab", "up", "--file", file.toString(), "--name", NAME);
            assertThat(up.exitCode()).as(up.err()).isZero();
            assertThat(up.out()).contains("lab " + NAME + " is up: 2 nodes, 2 pods")
                    .containsPattern("pod\\s+default/web\\s+172\\.16\\.1\\.10\\s+n2\\s+serving\\s+jbpf-lab-" + NAME + "-pod-default-web\\s+80/tcp whoami")
                    .containsPattern("pod\\s+default/client\\s+172\\.16\\.0\\.10\\s+n1\\s+up\\s+\\S+\\s+-");

            CliRun status = CliRun.of("lab", "status", "--name", NAME);
            assertThat(status.out()).contains("lab " + NAME + ":").containsPattern("node\\s+n1\\s+192\\.168\\.10\\.10");

            CliRun curl = CliRun.of("lab", "exec", "--name", NAME, "client", "--", "curl", "-s", "--max-time", "5", "http://172.16.1.10/");
            assertThat(curl.exitCode()).as(curl.err()).isZero();
            assertThat(curl.out()).contains("Hostname: web").contains("RemoteAddr: 172.16.0.10:");

            CliRun fail = CliRun.of("lab", "exec", "--name", NAME, "client", "--", "sh", "-c", "echo oops >&2; exit 7");
            assertThat(fail.exitCode()).isEqualTo(7);
            assertThat(fail.err()).contains("oops");

            CliRun unknown = CliRun.of("lab", "exec", "--name", NAME, "nobody", "--", "true");
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.err()).contains("no pod or node 'nobody'");
        } finally {
            CliRun down = CliRun.of("lab", "down", "--name", NAME);
            assertThat(down.out()).contains("lab " + NAME + " removed");
        }
        assertThat(CliRun.of("lab", "down", "--name", NAME).out()).contains("no lab " + NAME + " to remove");
        assertThat(CliRun.of("lab", "status", "--name", NAME).out()).contains("no lab " + NAME);
    }

    @Test
    void printShowsTheDefaultLabAndABadFileNamesTheField() throws Exception {
        CliRun print = CliRun.of("lab", "up", "--print", "--name", "x1");
        assertThat(print.exitCode()).isZero();
        assertThat(print.out()).startsWith("name: x1\n").contains("name: k8s-w2").contains("podCIDR: 172.16.2.0/24");

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "underlay: 192.168.10.0/24\noutside: {ip: 203.0.113.10}\nnodes:\n  - {name: n1, ip: 192.168.10.10, podCIDR: 172.16.0.0/24, colour: red}\n");
        CliRun r = CliRun.of("lab", "up", "--file", bad.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("line 4").contains("nodes[0].colour").contains("unknown field");
    }
}
