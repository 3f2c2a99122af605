package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.link.internal.Tracefs;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A counter on syscalls:sys_enter_getpid, driven by calling getpid() through the syscall layer. */
@KernelTest
@Timeout(120)
class TracepointLinkTest {

    @BeforeAll
    static void tracefs() {
        Tracefs.ensureMounted();
    }

    static void getpid(int times) {
        for (int i = 0; i < times; i++) {
            Sys.get().getpid();
        }
    }

    static void assertCountsWhileAttached(KernelMap counter, PerfEventLink link) {
        long before = Progs.count(counter);
        getpid(10);
        assertThat(Progs.count(counter) - before).isGreaterThanOrEqualTo(10);
        link.close();
        long after = Progs.count(counter);
        getpid(10);
        assertThat(Progs.count(counter)).isEqualTo(after);
    }

    @Test
    void countsThroughABpfLink() {
        try (KernelMap counter = Progs.counterMap();
                Program p = Progs.load("jbpf_tp_count", ProgramType.TRACEPOINT, Progs.counting(counter.fd(), 0))) {
            TracepointLink link = TracepointLink.attach(p, "syscalls", "sys_enter_getpid", PerfAttachMethod.BPF_LINK);
            assertThat(link.isBpfLink()).isTrue();
            assertThat(link.info().type()).isEqualTo(LinkType.PERF_EVENT);
            assertThat(link.info().programId()).isEqualTo(p.id());
            assertCountsWhileAttached(counter, link);
            assertThat(link.isClosed()).isTrue();
        }
    }

    @Test
    void countsThroughTheIoctls() {
        try (KernelMap counter = Progs.counterMap();
                Program p = Progs.load("jbpf_tp_count", ProgramType.TRACEPOINT, Progs.counting(counter.fd(), 0))) {
            TracepointLink link = TracepointLink.attach(p, "syscalls", "sys_enter_getpid", PerfAttachMethod.IOCTL);
            assertThat(link.isBpfLink()).isFalse();
            assertThatThrownBy(link::info).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> link.pin("/sys/fs/bpf/jbpf-never")).isInstanceOf(UnsupportedOperationException.class);
            assertCountsWhileAttached(counter, link);
        }
    }

    @Test
    void aPinnedPerfLinkKeepsCounting() throws Exception {
        Bpffs.ensureMounted();
        Path pin = Path.of(Bpffs.DEFAULT_ROOT, "jbpf-tp-link-" + ProcessHandle.current().pid());
        try (KernelMap counter = Progs.counterMap();
                Program p = Progs.load("jbpf_tp_count", ProgramType.TRACEPOINT, Progs.counting(counter.fd(), 0))) {
            try (TracepointLink link = TracepointLink.attach(p, "syscalls", "sys_enter_getpid")) {
                link.pin(pin.toString());
            }
            long before = Progs.count(counter);
            getpid(5);
            assertThat(Progs.count(counter) - before).isGreaterThanOrEqualTo(5);
            Files.delete(pin);
            // the last reference went with the pin; the kernel frees the link from a work queue,
            // so the program stops running shortly after, not at once
            assertThat(stopsCounting(counter)).as("the counter stops once the pin is gone").isTrue();
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    /** Whether, within two seconds, a round of getpid() calls leaves the counter unchanged. */
    static boolean stopsCounting(KernelMap counter) {
        return io.jbpf.core.testing.Eventually.within(java.time.Duration.ofSeconds(2), () -> {
            long after = Progs.count(counter);
            getpid(5);
            return Progs.count(counter) == after;
        });
    }

    @Test
    void unknownTracepointIsNamed() {
        try (Program p = Progs.load("jbpf_tp_ret", ProgramType.TRACEPOINT, Progs.returning(0))) {
            assertThatThrownBy(() -> TracepointLink.attach(p, "syscalls", "sys_enter_jbpf_nope"))
                    .isInstanceOfSatisfying(AttachTargetNotFoundException.class,
                            e -> assertThat(e.name()).isEqualTo("syscalls:sys_enter_jbpf_nope"))
                    .hasMessageContaining("sys_enter_jbpf_nope");
        }
    }
}
