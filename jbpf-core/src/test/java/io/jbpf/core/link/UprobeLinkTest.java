package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** uprobes on libc's getpid, which this process calls through the syscall layer. */
@KernelTest
@Timeout(120)
class UprobeLinkTest {

    /** The libc this process has mapped, from /proc/self/maps. */
    static Path libc() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash < 0) {
                continue;
            }
            Path p = Path.of(line.substring(slash));
            String name = p.getFileName().toString();
            if (name.equals("libc.so.6") || name.matches("libc-[0-9.]+\\.so")) {
                return p;
            }
        }
        throw new IllegalStateException("no libc in /proc/self/maps");
    }

    static long countGetpids(KernelMap counter, int n) {
        long before = Progs.count(counter);
        for (int i = 0; i < n; i++) {
            Sys.get().getpid();
        }
        return Progs.count(counter) - before;
    }

    @Test
    void uprobeAndUretprobeOnLibcGetpid() throws Exception {
        Path libc = libc();
        for (boolean ret : new boolean[] {false, true}) {
            for (PerfAttachMethod method : new PerfAttachMethod[] {PerfAttachMethod.BPF_LINK, PerfAttachMethod.IOCTL}) {
                try (KernelMap counter = Progs.counterMap();
                        Program p = Progs.load("jbpf_uprobe", ProgramType.KPROBE, Progs.counting(counter.fd(), 0))) {
                    long offset = io.jbpf.core.link.internal.ElfSymbols.offsetOf(libc, "getpid");
                    UprobeLink link = UprobeLink.attachAtOffset(p, libc, offset, ret, -1, method);
                    assertThat(link.isBpfLink()).isEqualTo(method == PerfAttachMethod.BPF_LINK);
                    assertThat(countGetpids(counter, 10)).as("%s %s", ret, method).isGreaterThanOrEqualTo(10);
                    link.close();
                    assertThat(countGetpids(counter, 10)).isZero();
                }
            }
        }
    }

    @Test
    void uprobeBySymbolInThisProcessOnly() throws Exception {
        try (KernelMap counter = Progs.counterMap();
                Program p = Progs.load("jbpf_uprobe", ProgramType.KPROBE, Progs.counting(counter.fd(), 0));
                UprobeLink link = UprobeLink.attach(p, libc(), "getpid")) {
            assertThat(countGetpids(counter, 5)).isGreaterThanOrEqualTo(5);
            assertThat(link.info().type()).isEqualTo(LinkType.PERF_EVENT);
        }
    }

    @Test
    void uprobeMultiOnLibc() throws Exception {
        try (KernelMap counter = Progs.counterMap();
                Program p = Progs.load("jbpf_umulti", ProgramType.KPROBE, AttachType.TRACE_UPROBE_MULTI,
                        Progs.counting(counter.fd(), 0))) {
            UprobeMultiLink link = UprobeMultiLink.attach(p, libc(), List.of("getpid", "getppid"), false,
                    (int) ProcessHandle.current().pid());
            assertThat(countGetpids(counter, 10)).isGreaterThanOrEqualTo(10);
            assertThat(link.info().type()).isEqualTo(LinkType.UPROBE_MULTI);
            link.close();
            assertThat(countGetpids(counter, 10)).isZero();
        }
    }

    @Test
    void unknownSymbolAndBinaryAreNamed() throws Exception {
        try (Program p = Progs.load("jbpf_uprobe", ProgramType.KPROBE, Progs.returning(0))) {
            Path libc = libc();
            assertThatThrownBy(() -> UprobeLink.attach(p, libc, "jbpf_no_such_function"))
                    .isInstanceOfSatisfying(AttachTargetNotFoundException.class, e -> assertThat(e.kind()).isEqualTo("function"))
                    .hasMessageContaining("jbpf_no_such_function").hasMessageContaining(libc.toString());
            assertThatThrownBy(() -> UprobeLink.attach(p, Path.of("/nonexistent/jbpf-bin"), "main"))
                    .isInstanceOfSatisfying(AttachTargetNotFoundException.class, e -> assertThat(e.kind()).isEqualTo("binary"))
                    .hasMessageContaining("/nonexistent/jbpf-bin");
        }
    }
}
