package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.jbpf.core.features.UnsupportedFeatureException;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kprobes on the getpid syscall's kernel entry. Kernels built without CONFIG_KPROBES (or, for
 * kprobe_multi, CONFIG_FPROBE) skip these tests with the feature named.
 */
@KernelTest
@Timeout(120)
class KprobeLinkTest {

    /** The kernel function behind getpid(2) on this architecture. */
    static String getpidSymbol() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") ? "__arm64_sys_getpid" : "__x64_sys_getpid";
    }

    static long countGetpids(KernelMap counter, int n) {
        long before = Progs.count(counter);
        for (int i = 0; i < n; i++) {
            Sys.get().getpid();
        }
        return Progs.count(counter) - before;
    }

    @Test
    void kprobeAndKretprobeCountGetpid() {
        for (boolean ret : new boolean[] {false, true}) {
            try (KernelMap counter = Progs.counterMap();
                    Program p = Progs.load("jbpf_kprobe", ProgramType.KPROBE, Progs.counting(counter.fd(), 0))) {
                KprobeLink link = ret ? KprobeLink.attachReturn(p, getpidSymbol()) : KprobeLink.attach(p, getpidSymbol());
                assertThat(countGetpids(counter, 10)).isGreaterThanOrEqualTo(10);
                link.close();
                assertThat(countGetpids(counter, 10)).isZero();
            }
        }
    }

    @Test
    void unknownSymbolIsNamed() {
        try (Program p = Progs.load("jbpf_kprobe", ProgramType.KPROBE, Progs.returning(0))) {
            Throwable t = catchThrowable(() -> KprobeLink.attach(p, "jbpf_no_such_function"));
            if (t instanceof UnsupportedFeatureException) {
                throw (UnsupportedFeatureException) t; // skips, naming the feature
            }
            assertThat(t).isInstanceOfSatisfying(AttachTargetNotFoundException.class,
                            e -> assertThat(e.kind()).isEqualTo("kernel symbol"))
                    .hasMessageContaining("jbpf_no_such_function");
        }
    }

    @Test
    void kprobeMultiCountsGetpid() {
        try (KernelMap counter = Progs.counterMap();
                Program p = Progs.load("jbpf_kmulti", ProgramType.KPROBE, AttachType.TRACE_KPROBE_MULTI,
                        Progs.counting(counter.fd(), 0));
                KprobeMultiLink link = KprobeMultiLink.attach(p, List.of(getpidSymbol()))) {
            assertThat(countGetpids(counter, 10)).isGreaterThanOrEqualTo(10);
            assertThat(link.info().type()).isEqualTo(LinkType.KPROBE_MULTI);
        }
    }
}
