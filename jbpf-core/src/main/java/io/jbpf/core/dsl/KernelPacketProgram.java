package io.jbpf.core.dsl;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.vm.SkbContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@link PacketProgram} loaded in the kernel: it owns its program and the maps it created, and
 * closes them once, on {@link #close()}. Maps given to {@link PacketProgram#load(Map)} (to share
 * them between programs) stay their caller's.
 */
public final class KernelPacketProgram implements AutoCloseable {
    private final PacketProgram spec;
    private final Map<String, KernelMap> maps;
    private final Map<String, KernelMap> owned;
    private final Program program;

    private KernelPacketProgram(PacketProgram spec, Map<String, KernelMap> maps, Map<String, KernelMap> owned,
            Program program) {
        this.spec = spec;
        this.maps = Collections.unmodifiableMap(maps);
        this.owned = owned;
        this.program = program;
    }

    static KernelPacketProgram load(PacketProgram spec, Map<String, ? extends KernelMap> shared) {
        Map<String, KernelMap> maps = new LinkedHashMap<>();
        Map<String, KernelMap> owned = new LinkedHashMap<>();
        try {
            for (MapSpec m : spec.maps()) {
                KernelMap given = shared.get(m.name());
                if (given != null) {
                    if (!given.spec().compatibleWith(m)) {
                        throw new DslException("map '" + m.name() + "' given to program " + spec.name() + " is "
                                + given.spec() + ", the program needs " + m);
                    }
                    maps.put(m.name(), given);
                } else {
                    KernelMap created = KernelMap.create(m);
                    owned.put(m.name(), created);
                    maps.put(m.name(), created);
                }
            }
            for (MapEntry e : spec.mapEntries()) {
                maps.get(e.map()).update(e.key(), e.value(), 0);
            }
            Program program = Program.load(spec.programSpec(), maps);
            return new KernelPacketProgram(spec, maps, owned, program);
        } catch (RuntimeException e) {
            for (KernelMap m : owned.values()) {
                try {
                    m.close();
                } catch (RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    /** What was loaded. */
    public PacketProgram spec() {
        return spec;
    }

    /** The program. */
    public Program program() {
        return program;
    }

    /** The maps by name. */
    public Map<String, KernelMap> maps() {
        return maps;
    }

    /**
     * The map called {@code name}.
     *
     * @throws IllegalArgumentException when the program has none of that name
     */
    public KernelMap map(String name) {
        KernelMap m = maps.get(name);
        if (m == null) {
            throw new IllegalArgumentException("program " + spec.name() + " has no map '" + name + "' (it has "
                    + maps.keySet() + ")");
        }
        return m;
    }

    /**
     * Runs the program once over {@code frame} (from the Ethernet header) with
     * {@code BPF_PROG_TEST_RUN}; TC programs get a context naming ifindex 1, as
     * {@link SkbContext#tc} does in the VM.
     */
    public TestRunResult testRun(byte[] frame) {
        TestRun run = TestRun.withData(frame).dataOutSize(Math.max(frame.length, 64) + 256);
        Target t = spec.target();
        if (t == Target.TC_INGRESS || t == Target.TC_EGRESS) {
            byte[] ctx = new byte[SkbContext.SIZE];
            ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN).putInt(40, 1);
            run = run.context(ctx);
        }
        return program.testRun(run);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            program.close();
        } catch (RuntimeException e) {
            failure = e;
        }
        for (KernelMap m : owned.values()) {
            try {
                m.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return "KernelPacketProgram[" + program + ", maps " + maps.keySet() + "]";
    }
}
