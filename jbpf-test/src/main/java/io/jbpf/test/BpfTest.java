package io.jbpf.test;

import io.jbpf.test.internal.BpfTestExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test method once per engine, giving it the program under test loaded on that engine:
 *
 * <pre>{@code
 * static TestProgram dropTcp80() {
 *     return TestProgram.assemble("drop80", ProgramType.XDP, "...");
 * }
 *
 * @BpfTest(program = "dropTcp80")
 * void dropsPort80(BpfProgramUnderTest p) {
 *     assertThat(p.run(Packet.ether(a, b).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build()))
 *             .hasVerdict(Verdict.XDP_DROP);
 * }
 * }</pre>
 *
 * <p>Each invocation is named after its engine ({@code interpreter}, {@code JIT}, {@code kernel}).
 * Before it, the program is loaded with fresh maps (so {@code @BeforeEach} methods may take the
 * {@link BpfProgramUnderTest} too, to fill maps); after it, it is closed, kernel file descriptors
 * included. Parameters the extension resolves: {@link BpfProgramUnderTest}, {@link BpfEngine},
 * {@link TestProgram}.
 *
 * <p>An engine that cannot run here skips its invocation, naming the reason: the JIT when this
 * build has none, the kernel without {@code bpf()} permission, or a kernel lacking a feature the
 * program needs ({@link io.jbpf.core.features.UnsupportedFeatureException}). With
 * {@code JBPF_REQUIRE_KERNEL=1} in the environment (or {@code -Djbpf.requireKernel=true}) a missing
 * kernel fails the kernel invocation instead, as in CI.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(BpfTestExtension.class)
public @interface BpfTest {

    /**
     * Where the program comes from: the name of a method without parameters (static, or of the test
     * instance) or a field of the test class (or an enclosing class), returning a
     * {@link TestProgram} or a {@link io.jbpf.core.prog.ProgramSpec} (a program without maps);
     * or {@code "com.example.Programs#dropTcp80"} for a static member of another class. Empty:
     * the test class's only such member.
     */
    String program() default "";

    /** The engines to run on, in this order. */
    BpfEngine[] engines() default {BpfEngine.INTERPRETER, BpfEngine.JIT, BpfEngine.KERNEL};
}
