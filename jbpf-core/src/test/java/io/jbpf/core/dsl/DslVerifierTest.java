package io.jbpf.core.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.testing.KernelTest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every program of {@link DslCatalog} passes the kernel's verifier on the first try, for each of its targets. */
@KernelTest
class DslVerifierTest {

    @Test
    void everyCatalogProgramLoadsForEveryTarget() {
        List<String> failures = new ArrayList<>();
        int loaded = 0;
        for (DslCatalog.Entry e : DslCatalog.entries()) {
            for (Target t : e.targets()) {
                PacketProgram p = e.build(t);
                try (KernelPacketProgram k = p.load()) {
                    assertThat(k.program().type()).isEqualTo(t.programType());
                    loaded++;
                } catch (RuntimeException ex) {
                    failures.add(e.name() + " on " + t + ": " + ex.getMessage());
                }
            }
        }
        assertThat(failures).as("programs the verifier refused").isEmpty();
        assertThat(loaded).isGreaterThanOrEqualTo(DslCatalog.entries().size() * 3);
    }
}
