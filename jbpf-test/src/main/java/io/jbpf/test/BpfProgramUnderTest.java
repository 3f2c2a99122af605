package io.jbpf.test;

import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.test.internal.KernelRunner;
import io.jbpf.test.internal.ProgramRunner;
import io.jbpf.test.internal.VmRunner;
import io.jbpf.test.packet.Packet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link TestProgram} loaded on one {@link BpfEngine}, with fresh maps: run it over packets and
 * look at its maps the same way whichever engine it is on.
 *
 * <pre>{@code
 * try (BpfProgramUnderTest p = BpfProgramUnderTest.load(program, BpfEngine.KERNEL)) {
 *     p.map("config").putLong(0, 80);
 *     RunOutcome out = p.run(Packet.ether(a, b).ipv4("10.0.0.1", "10.0.0.2").tcp(1234, 80).build());
 *     assertThat(out).hasVerdict(Verdict.XDP_DROP);
 *     assertThat(p.map("counts")).hasValue(6, 1);
 * }
 * }</pre>
 *
 * <p>In a {@link BpfTest} the extension loads and closes it. Elsewhere, close it: on the kernel it
 * holds the program's and maps' file descriptors. Not thread-safe.
 */
public final class BpfProgramUnderTest implements AutoCloseable {
    private final TestProgram program;
    private final BpfEngine engine;
    private final ProgramRunner runner;
    private final Map<String, TestMap> maps = new LinkedHashMap<>();
    private boolean closed;

    private BpfProgramUnderTest(TestProgram program, BpfEngine engine, ProgramRunner runner) {
        this.program = program;
        this.engine = engine;
        this.runner = runner;
        for (String name : program.maps().keySet()) {
            maps.put(name, new TestMap(runner.maps().get(name), program.name() + " on " + engine.displayName()));
        }
    }

    /**
     * Creates the program's maps and loads it on {@code engine}: into a VM, or into the kernel
     * (where the verifier checks it).
     *
     * @throws EngineUnavailableException when the engine cannot run programs here (no JIT in this
     *         build; no bpf() permission or syscall)
     * @throws io.jbpf.core.VerifierException when the kernel's verifier refuses the program
     * @throws io.jbpf.core.vm.IllegalInstructionException when the VM cannot run it
     */
    public static BpfProgramUnderTest load(TestProgram program, BpfEngine engine) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(engine, "engine");
        ProgramRunner runner = engine == BpfEngine.KERNEL ? KernelRunner.load(program) : VmRunner.load(program, engine);
        return new BpfProgramUnderTest(program, engine, runner);
    }

    /** The engine it runs on. */
    public BpfEngine engine() {
        return engine;
    }

    /** The program. */
    public TestProgram program() {
        return program;
    }

    /** The program's type. */
    public ProgramType type() {
        return program.type();
    }

    /** Runs the program once over {@code packet} with the {@link RunOptions#DEFAULT default} context. */
    public RunOutcome run(Packet packet) {
        return run(packet, RunOptions.DEFAULT);
    }

    /** Runs the program once over the Ethernet frame {@code frame}. */
    public RunOutcome run(byte[] frame) {
        return run(Packet.of(frame), RunOptions.DEFAULT);
    }

    /** Runs the program once over the Ethernet frame {@code frame} with these context fields. */
    public RunOutcome run(byte[] frame, RunOptions options) {
        return run(Packet.of(frame), options);
    }

    /**
     * Runs the program once over {@code packet} with these context fields. The packet must start
     * with an Ethernet header: XDP, TC and socket-filter programs all get frames.
     *
     * @throws io.jbpf.core.vm.VmException when the program does, in the VM, what the kernel would not allow
     * @throws io.jbpf.core.BpfException when the kernel's test run fails
     */
    public RunOutcome run(Packet packet, RunOptions options) {
        Objects.requireNonNull(packet, "packet");
        Objects.requireNonNull(options, "options");
        checkOpen();
        if (packet.link() != io.jbpf.test.packet.LinkLayer.ETHERNET) {
            throw new IllegalArgumentException(program.type() + " programs take Ethernet frames, not " + packet.link()
                    + " packets");
        }
        ProgramRunner.Result r = runner.run(packet.bytes(), options);
        return new RunOutcome(engine, program.type(), r.verdict(), packet, r.data(), r.context(), r.redirectIfindex(),
                r.trace());
    }

    /**
     * The map named {@code name}.
     *
     * @throws IllegalArgumentException when the program has no such map
     */
    public TestMap map(String name) {
        checkOpen();
        TestMap m = maps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("program '" + program.name() + "' has no map '" + name + "' (it has "
                    + maps.keySet() + ")");
        }
        return m;
    }

    /** Every map, by name. */
    public Map<String, TestMap> maps() {
        return Map.copyOf(maps);
    }

    /** Closes the program and its maps (their file descriptors, on the kernel). Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            runner.close();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Raw access to a map, for what {@link TestMap} does not offer. */
    public RawMap rawMap(String name) {
        return map(name).raw();
    }

    @Override
    public String toString() {
        return "BpfProgramUnderTest[" + program.name() + " on " + engine.displayName() + "]";
    }
}
