package io.jbpf.core.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

@KernelTest
class FdTest {

    @Test
    void closesOnceAndRefusesUseAfterClose() {
        int raw = Sys.get().socket(1, 1, 0);
        Fd fd = Fd.own(raw, "test socket");
        assertThat(fd.get()).isEqualTo(raw);
        fd.close();
        fd.close(); // a second close is a no-op, not a close of whatever reused the number
        assertThat(fd.isClosed()).isTrue();
        assertThat(Sys.get().close(raw)).isNegative();
        assertThatThrownBy(fd::get).isInstanceOf(ObjectClosedException.class).hasMessageContaining("test socket is closed");
        assertThat(fd.toString()).contains("closed");
    }

    @Test
    void aForgottenFdIsClosedByTheCleaner() throws Exception {
        int raw = Sys.get().socket(1, 1, 0);
        java.nio.file.Path link = java.nio.file.Path.of("/proc/self/fd/" + raw);
        String target = java.nio.file.Files.readSymbolicLink(link).toString();
        forget(raw);
        boolean closed = false;
        for (int i = 0; i < 100 && !closed; i++) {
            System.gc();
            Thread.sleep(20);
            closed = !java.nio.file.Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                    || !java.nio.file.Files.readSymbolicLink(link).toString().equals(target);
        }
        assertThat(closed).as("the cleaner closed fd %d", raw).isTrue();
    }

    /** Owns {@code raw} in an Fd that becomes unreachable at once. */
    private static void forget(int raw) {
        Fd.own(raw, "forgotten socket");
    }

    @Test
    void refusesNegativeDescriptors() {
        assertThatThrownBy(() -> Fd.own(-1, "nothing")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cpuListsParse() {
        assertThat(Cpus.count("0")).isEqualTo(1);
        assertThat(Cpus.count("0-3")).isEqualTo(4);
        assertThat(Cpus.count("0-3,5,7-8\n")).isEqualTo(9);
        assertThat(Cpus.possible()).isGreaterThanOrEqualTo(Cpus.online()).isPositive();
    }
}
