package io.jbpf.core.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.JbpfException;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.link.AttachTargetNotFoundException;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KernelTest
@Timeout(120)
@SuppressWarnings("try") // resources held open for their effect, and close() tested explicitly
class NetNamespaceTest {
    static NetLab lab;

    @BeforeAll
    static void setUp() {
        lab = NetLab.create();
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    static String threadNetns() throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
    }

    @Test
    void runsOnAThreadInsideTheNamespaceAndLeavesTheCallerAlone() throws Exception {
        String mine = threadNetns();
        String target = "net:[" + Files.getAttribute(Path.of(NetNamespace.RUN_DIR, lab.nsB()), "unix:ino") + "]";
        try (NetNamespace ns = NetNamespace.open(lab.nsB())) {
            assertThat(ns.run(NetNamespaceTest::threadNetns)).isNotEqualTo(mine);
            assertThat(ns.run(() -> Thread.currentThread().getName())).contains(lab.nsB());
            assertThat(threadNetns()).isEqualTo(mine);
            assertThat(ns.ifindex("lo")).isEqualTo(1);
            assertThat(ns.ifindex(NetLab.B_IF)).isGreaterThan(1);
            assertThat(ns.name()).isEqualTo(lab.nsB());
            assertThat(ns.run(() -> ns.run(() -> ns.ifindex("lo")))).as("nested run").isEqualTo(1);
            assertThat(target).startsWith("net:[").isEqualTo(ns.run(NetNamespaceTest::threadNetns));
        }
    }

    @Test
    void errorsAreRethrownAndNamed() {
        try (NetNamespace ns = NetNamespace.open(lab.nsA())) {
            assertThatThrownBy(() -> ns.run(() -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            assertThatThrownBy(() -> ns.run(() -> {
                throw new IOException("io");
            })).isInstanceOf(JbpfException.class).hasMessageContaining(lab.nsA()).hasCauseInstanceOf(IOException.class);
            assertThatThrownBy(() -> ns.ifindex("jbpf-none")).isInstanceOf(AttachTargetNotFoundException.class)
                    .hasMessageContaining("jbpf-none").hasMessageContaining(lab.nsA());
            ns.close();
            assertThatThrownBy(() -> ns.run(() -> 1)).isInstanceOf(ObjectClosedException.class);
        }
        assertThatThrownBy(() -> NetNamespace.open("jbpf-does-not-exist"))
                .isInstanceOf(AttachTargetNotFoundException.class).hasMessageContaining("jbpf-does-not-exist");
    }

    @Test
    void enterMovesTheCallingThreadUntilTheScopeCloses() throws Exception {
        String mine = threadNetns();
        String target = "net:[" + Files.getAttribute(Path.of(NetNamespace.RUN_DIR, lab.nsB()), "unix:ino") + "]";
        try (NetNamespace ns = NetNamespace.open(lab.nsB())) {
            NetNamespace.Entered in = ns.enter();
            try {
                assertThat(threadNetns()).isEqualTo(target);
                // a socket made now belongs to the namespace: it binds the namespace's own address
                try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                    s.bind(new java.net.InetSocketAddress(lab.addressB(), 0));
                    assertThat(s.getLocalPort()).isPositive();
                }
                Thread other = new Thread(() -> assertThatThrownBy(in::close).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(Thread.currentThread().getName()));
                other.start();
                other.join();
            } finally {
                in.close();
            }
            assertThat(threadNetns()).isEqualTo(mine);
            in.close(); // twice: nothing
            assertThat(threadNetns()).isEqualTo(mine);
            ns.close();
            assertThatThrownBy(ns::enter).isInstanceOf(ObjectClosedException.class);
        }
    }

    @Test
    void hardwareAddressesAreTheNamespacesOwn() throws Exception {
        try (NetNamespace ns = NetNamespace.open(lab.nsB())) {
            byte[] mac = ns.hardwareAddress(NetLab.B_IF);
            // as ip shows it
            String shown = lab.ip(lab.nsB(), "-o", "link", "show", "dev", NetLab.B_IF);
            String hex = java.util.HexFormat.ofDelimiter(":").formatHex(mac);
            assertThat(shown).contains("link/ether " + hex);
            assertThatThrownBy(() -> ns.hardwareAddress("lo")).isInstanceOf(JbpfException.class)
                    .hasMessageContaining("no hardware address");
            assertThatThrownBy(() -> ns.hardwareAddress("jbpf-none")).isInstanceOf(AttachTargetNotFoundException.class);
        }
    }
}
