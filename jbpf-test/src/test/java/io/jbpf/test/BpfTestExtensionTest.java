package io.jbpf.test;

import static io.jbpf.test.BpfAssertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.test.internal.KernelAccess;
import io.jbpf.test.packet.Packet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The {@link BpfTest} extension itself: runs small test classes with the JUnit launcher and checks
 * invocation names, skips with reasons, failures under JBPF_REQUIRE_KERNEL, program lookup and
 * that no kernel fd stays open.
 */
class BpfTestExtensionTest {
    static final Packet TCP80 = Programs.frame().ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build();

    /** What happened to one invocation. */
    record Run(String name, TestExecutionResult.Status status, String message) {}

    static List<Run> run(Class<?> testClass) {
        List<Run> runs = new ArrayList<>();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(DiscoverySelectors.selectClass(testClass))
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier id, TestExecutionResult result) {
                        if (id.isTest()) {
                            runs.add(new Run(id.getDisplayName(), result.getStatus(),
                                    result.getThrowable().map(Throwable::getMessage).orElse("")));
                        }
                    }

                    @Override
                    public void executionSkipped(TestIdentifier id, String reason) {
                        runs.add(new Run(id.getDisplayName(), TestExecutionResult.Status.ABORTED, reason));
                    }
                });
        return runs;
    }

    static class OnEveryEngine {
        static TestProgram drop() {
            return Programs.dropTcp80();
        }

        @BpfTest(program = "drop")
        void drops(BpfProgramUnderTest p) {
            assertThat(p.run(TCP80)).hasVerdict(Verdict.XDP_DROP);
        }
    }

    @AfterEach
    void restore() {
        KernelAccess.simulateUnavailable(null);
        System.clearProperty("jbpf.requireKernel");
    }

    @Test
    void invocationsAreNamedAfterTheirEngine() {
        List<Run> runs = run(OnEveryEngine.class);
        assertThat(runs).extracting(Run::name).containsExactly("interpreter", "JIT", "kernel");
        assertThat(runs.get(0).status()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        Run jit = runs.get(1);
        if (jit.status() != TestExecutionResult.Status.SUCCESSFUL) {
            // until the JIT is merged: a skip that says why
            assertThat(jit.status()).isEqualTo(TestExecutionResult.Status.ABORTED);
            assertThat(jit.message()).startsWith("skipped on JIT: JIT engine not available: ");
        }
        if (KernelAccess.whyUnavailable() == null) {
            assertThat(runs.get(2).status()).as(runs.get(2).message()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        }
    }

    @Test
    void withoutBpfTheKernelInvocationIsSkippedNamingTheReason() {
        assumeFalse(KernelAccess.required(), "JBPF_REQUIRE_KERNEL=1 is set");
        KernelAccess.simulateUnavailable("bpf() fails with EPERM (simulated)");
        List<Run> runs = run(OnEveryEngine.class);
        assertThat(runs.get(2)).isEqualTo(new Run("kernel", TestExecutionResult.Status.ABORTED,
                "skipped on kernel: kernel engine not available: bpf() fails with EPERM (simulated)"));
        assertThat(runs.get(0).status()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

    @Test
    void withoutBpfTheKernelInvocationFailsWhenTheKernelIsRequired() {
        KernelAccess.simulateUnavailable("bpf() fails with EPERM (simulated)");
        System.setProperty("jbpf.requireKernel", "true");
        Run kernel = run(OnEveryEngine.class).get(2);
        assertThat(kernel.status()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(kernel.message()).isEqualTo(
                "JBPF_REQUIRE_KERNEL=1 but the kernel cannot run 'drop_tcp80': bpf() fails with EPERM (simulated)");
    }

    static class KernelOnly {
        static TestProgram counter() {
            return Programs.tcProtocolCounter();
        }

        @BpfTest(program = "counter", engines = BpfEngine.KERNEL)
        void counts(BpfProgramUnderTest p) {
            p.run(TCP80);
            assertThat(p.map("counts")).hasValue(6, 1);
        }

        @BpfTest(program = "counter", engines = BpfEngine.KERNEL)
        void failsHalfway(BpfProgramUnderTest p) {
            p.run(TCP80);
            assertThat(p.map("counts")).hasValue(6, 2);
        }
    }

    @Test
    void kernelFileDescriptorsAreClosedAfterEveryInvocation() throws IOException {
        assumeTrue(KernelAccess.whyUnavailable() == null, () -> "no kernel: " + KernelAccess.whyUnavailable());
        run(KernelOnly.class); // warm up: class loading opens jars
        long before = openFds();
        List<Run> runs = run(KernelOnly.class);
        assertThat(runs).extracting(Run::status).containsExactly(TestExecutionResult.Status.SUCCESSFUL,
                TestExecutionResult.Status.FAILED);
        assertThat(openFds()).as("open fds after two kernel invocations, one failing").isEqualTo(before);
    }

    static long openFds() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    static class Lookup {
        static final ProgramSpec PASS_ALL = ProgramSpec.builder("pass_all", ProgramType.XDP)
                .instructions(io.jbpf.core.asm.AsmParser.parse("r0 = 2\nexit")).build();

        TestProgram fromInstance() {
            return Programs.dropTcp80();
        }

        @BpfTest(program = "PASS_ALL", engines = BpfEngine.INTERPRETER)
        void fromASpecField(BpfProgramUnderTest p, TestProgram program) {
            assertThat(program.name()).isEqualTo("pass_all");
            assertThat(p.run(TCP80)).hasVerdict(Verdict.XDP_PASS);
        }

        @BpfTest(program = "fromInstance", engines = BpfEngine.INTERPRETER)
        void fromAnInstanceMethod(BpfProgramUnderTest p) {
            assertThat(p.run(TCP80)).hasVerdict(Verdict.XDP_DROP);
        }

        @BpfTest(program = "io.jbpf.test.Programs#udpSnap", engines = BpfEngine.INTERPRETER)
        void fromAnotherClass(BpfProgramUnderTest p) {
            assertThat(p.type()).isEqualTo(ProgramType.SOCKET_FILTER);
        }

        @BpfTest(program = "missing", engines = BpfEngine.INTERPRETER)
        void missing(BpfProgramUnderTest p) {}

        @BpfTest(engines = BpfEngine.INTERPRETER)
        void ambiguous(BpfProgramUnderTest p) {}
    }

    @Test
    void programsAreFoundByNameAndMistakesAreExplained() {
        List<Run> runs = run(Lookup.class);
        assertThat(runs).hasSize(5);
        assertThat(runs).filteredOn(r -> r.status() == TestExecutionResult.Status.SUCCESSFUL).hasSize(3);
        assertThat(runs).extracting(Run::message)
                .anyMatch(m -> m.contains("has no method without parameters or field named 'missing' of type "
                        + "TestProgram or ProgramSpec"))
                .anyMatch(m -> m.contains("@BpfTest without program = \"...\" needs exactly one method without "
                        + "parameters or field of type TestProgram or ProgramSpec"));
    }
}
