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
    void aResourceMadeForAnInterruptedCallerIsClosedNotLeaked() throws Exception {
        try (NetNamespace ns = NetNamespace.open(lab.nsA())) {
            java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicReference<java.nio.channels.SocketChannel> made =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
            Thread caller = new Thread(() -> {
                try {
                    ns.run(() -> {
                        started.countDown();
                        // work that does not stop for an interrupt (as opening a socket), while the caller is interrupted
                        long until = System.nanoTime() + 300_000_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open();
                        made.set(ch);
                        return ch;
                    });
                } catch (Throwable t) {
                    thrown.set(t);
                }
            });
            caller.start();
            assertThat(started.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            caller.interrupt();
            caller.join(5000);
            assertThat(thrown.get()).hasMessageContaining("interrupted while running in network namespace");
            // the task runs to its end and closes what it made, since nobody takes it any more
            long deadline = System.nanoTime() + 5_000_000_000L;
            while ((made.get() == null || made.get().isOpen()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(made.get()).as("the task ran to its end").isNotNull();
            assertThat(made.get().isOpen()).as("and what it made was closed").isFalse();
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
