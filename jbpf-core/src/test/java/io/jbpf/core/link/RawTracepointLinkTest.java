package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KernelTest
@Timeout(120)
class RawTracepointLinkTest {

    @Test
    void countsSyscallsWhileAttached() {
        try (KernelMap counter = Progs.counterMap();
                Program p = Progs.load("jbpf_rawtp", ProgramType.RAW_TRACEPOINT, Progs.counting(counter.fd(), 0))) {
            RawTracepointLink link = RawTracepointLink.attach(p, "sys_enter");
            long before = Progs.count(counter);
            for (int i = 0; i < 10; i++) {
                Sys.get().getpid();
            }
            assertThat(Progs.count(counter) - before).isGreaterThanOrEqualTo(10);
            assertThat(link.info().type()).isEqualTo(LinkType.RAW_TRACEPOINT);
            assertThat(link.info().programId()).isEqualTo(p.id());
            assertThat(link.tracepoint()).isEqualTo("sys_enter");
            link.close();
            long after = Progs.count(counter);
            Sys.get().getpid();
            assertThat(Progs.count(counter)).isEqualTo(after);
            assertThatThrownBy(link::info).isInstanceOf(ObjectClosedException.class);
        }
    }

    @Test
    void unknownTracepointIsNamed() {
        try (Program p = Progs.load("jbpf_rawtp", ProgramType.RAW_TRACEPOINT, Progs.returning(0))) {
            assertThatThrownBy(() -> RawTracepointLink.attach(p, "jbpf_no_such_tp"))
                    .isInstanceOf(AttachTargetNotFoundException.class).hasMessageContaining("jbpf_no_such_tp");
        }
    }
}
