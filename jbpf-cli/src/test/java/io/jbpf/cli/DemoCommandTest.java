package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Lab;
import org.junit.jupiter.api.Test;

/** {@code jbpf demo}: every step shows what it should, and nothing is left behind. */
@KernelTest
class DemoCommandTest {
    private static final String NAME = "m" + ProcessHandle.current().pid();

    @Test
    void theDemoShowsAllowedAndBlockedTrafficAndCleansUp() {
        CliRun demo = CliRun.of("demo", "--name", NAME);
        assertThat(demo.exitCode()).as(demo.err()).isZero();
        String out = demo.out();
        assertThat(out).contains("==> jbpf status (k8s-s)").contains("Routing:");
        assertThat(out).containsPattern("172\\.16\\.1\\.10\\s+ready");
        assertThat(out).contains("1 packets transmitted, 1 received");
        assertThat(out).contains("Hostname: webpod2");
        assertThat(out.substring(out.indexOf("netpod -> webpod1 on TCP 80"))).contains("Hostname: webpod1");
        String blocked = out.substring(out.indexOf("webpod2 -> webpod1 on TCP 80"), out.indexOf("==> jbpf endpoint list (k8s-w1): ingress"));
        assertThat(blocked).doesNotContain("Hostname:").contains("(exit 28)");
        assertThat(out.substring(out.indexOf("ingress policy now enforced"))).containsPattern("Enabled\\s+Disabled");
        assertThat(out.substring(out.indexOf("jbpf observe --verdict DROPPED")))
                .contains("default/webpod2:").contains("<> default/webpod1:80").contains("Policy denied DROPPED");
        assertThat(out).contains("lab " + NAME + " removed");
        assertThat(Lab.list()).doesNotContain(NAME);
    }
}
