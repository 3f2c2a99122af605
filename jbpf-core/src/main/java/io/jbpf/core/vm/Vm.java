package io.jbpf.core.vm;

import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.insn.MapReference;
import io.jbpf.core.insn.MapReferences;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.vm.internal.Code;
import io.jbpf.core.vm.internal.Image;
import io.jbpf.core.vm.internal.Interpreter;
import io.jbpf.core.vm.internal.Settings;
import io.jbpf.core.vm.internal.StandardHelpers;
import io.jbpf.core.vm.internal.jit.JitCompiler;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.function.LongSupplier;

/**
 * An eBPF virtual machine inside the JVM: runs programs over {@link MemoryMap}s with the kernel's
 * semantics, so filters can be tested where no kernel will load them. A VM holds its
 * configuration (engine, helpers, clock, CPU id, random seed, instruction budget) and never
 * touches the kernel.
 *
 * <pre>{@code
 * Vm vm = Vm.builder().engine(Engine.JIT).seed(7).build();
 * VmProgram prog = vm.load("filter", instructions, Map.of("counts", MemoryMap.create(countsSpec)));
 * RunResult r = prog.run(XdpContext.of(packet));
 * }</pre>
 *
 * <p>Thread-safe: programs may run concurrently, each run has its own memory (maps are shared and
 * synchronized).
 */
public final class Vm {
    /** The default instruction budget of one run. */
    public static final long DEFAULT_BUDGET = 10_000_000L;

    private final Engine engine;
    private final Settings settings;
    private final Tracer tracer;

    private Vm(Builder b) {
        this.engine = b.engine;
        this.tracer = b.tracer;
        int max = 0;
        for (int id : b.helpers.keySet()) {
            max = Math.max(max, id);
        }
        HelperFunction[] table = new HelperFunction[max + 1];
        b.helpers.forEach((id, fn) -> table[id] = fn);
        this.settings = new Settings(table, b.cpu, b.clock, new Random(b.seed), b.budget,
                o -> o instanceof VmProgram p ? p.image() : null, b.fib);
    }

    /** A VM with the interpreter and the default settings. */
    public static Vm create() {
        return builder().build();
    }

    /** A builder starting from the interpreter, CPU 0, seed 0, the system's monotonic clock and every standard helper. */
    public static Builder builder() {
        return new Builder();
    }

    /** The engine this VM runs programs with. */
    public Engine engine() {
        return engine;
    }

    /** Loads a program spec; its map references by name resolve to {@code maps}. */
    public VmProgram load(ProgramSpec spec, Map<String, ? extends MemoryMap> maps) {
        return load(spec.name(), spec.instructions(), maps);
    }

    /**
     * Loads instructions whose map references ({@code LoadMapRef} by name) resolve to {@code maps}.
     *
     * @throws IllegalArgumentException if a referenced map is missing
     * @throws IllegalInstructionException if the program cannot run
     */
    public VmProgram load(String name, List<? extends Insn> insns, Map<String, ? extends MemoryMap> maps) {
        Objects.requireNonNull(name, "name");
        List<String> names = new ArrayList<>();
        List<MemoryMap> table = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (MapReference ref : MapReferences.list(insns)) {
            String map = ref.mapName();
            if (!index.containsKey(map)) {
                MemoryMap m = maps.get(map);
                if (m == null) {
                    throw new IllegalArgumentException("program '" + name + "' uses map '" + map
                            + "', which was not given (maps given: " + maps.keySet() + ")");
                }
                index.put(map, table.size());
                names.add(map);
                table.add(m);
            }
        }
        List<Insn> resolved = MapReferences.resolve(insns, index);
        return build(name, InsnCodec.encode(resolved, ByteOrder.LITTLE_ENDIAN), table, names);
    }

    /**
     * Loads little-endian instruction bytes. A 64-bit load of a map ({@code src} 1, 2, 5 or 6) takes
     * its immediate as an index into {@code maps}.
     */
    public VmProgram load(String name, byte[] code, List<? extends MemoryMap> maps) {
        List<String> names = new ArrayList<>();
        for (MemoryMap m : maps) {
            names.add(m.spec().name());
        }
        return build(name, code, maps, names);
    }

    private VmProgram build(String name, byte[] code, List<? extends MemoryMap> maps, List<String> names) {
        Image image = new Image(name, Code.decode(code), maps, names);
        if (tracer != null) {
            image.executor(new Interpreter(image.code, tracer, bySlot(code)));
            return new VmProgram(this, image);
        }
        switch (engine) {
            case INTERPRETER:
                image.executor(new Interpreter(image.code));
                break;
            case JIT:
                image.executor(JitCompiler.compile(image.code));
                break;
            default:
                throw new IllegalStateException("engine " + engine);
        }
        return new VmProgram(this, image);
    }

    Settings settings() {
        return settings;
    }

    /** The instruction starting at each slot (null for the second slots of 64-bit loads). */
    private static Insn[] bySlot(byte[] code) {
        Insn[] out = new Insn[code.length / 8];
        int slot = 0;
        for (Insn i : InsnCodec.decode(code, ByteOrder.LITTLE_ENDIAN)) {
            out[slot] = i;
            slot += i.slots();
        }
        return out;
    }

    /** Configures a {@link Vm}. */
    public static final class Builder {
        private Engine engine = Engine.INTERPRETER;
        private int cpu;
        private LongSupplier clock = System::nanoTime;
        private long seed;
        private long budget = DEFAULT_BUDGET;
        private final Map<Integer, HelperFunction> helpers = new HashMap<>(StandardHelpers.all());
        private Tracer tracer;
        private FibTable fib = FibTable.EMPTY;

        private Builder() {}

        /** The engine: the interpreter (default) or the JIT. */
        public Builder engine(Engine e) {
            this.engine = Objects.requireNonNull(e, "engine");
            return this;
        }

        /** The CPU id programs see ({@code bpf_get_smp_processor_id}, the slot of per-CPU maps). */
        public Builder cpu(int id) {
            if (id < 0) {
                throw new IllegalArgumentException("CPU id " + id);
            }
            this.cpu = id;
            return this;
        }

        /** The clock of {@code bpf_ktime_get_ns} and friends, in nanoseconds. */
        public Builder clock(LongSupplier nanos) {
            this.clock = Objects.requireNonNull(nanos, "clock");
            return this;
        }

        /** The seed of {@code bpf_get_prandom_u32}. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** How many instructions one run may execute before it is stopped. */
        public Builder budget(long instructions) {
            if (instructions <= 0) {
                throw new IllegalArgumentException("budget " + instructions);
            }
            this.budget = instructions;
            return this;
        }

        /** The devices, routes and neighbours {@code bpf_fib_lookup} sees (none by default). */
        public Builder fibTable(FibTable table) {
            this.fib = Objects.requireNonNull(table, "FIB table");
            return this;
        }

        /** Adds or replaces helper {@code id}. */
        public Builder helper(int id, HelperFunction fn) {
            if (id < 0 || id > 0xffff) {
                throw new IllegalArgumentException("helper id " + id);
            }
            helpers.put(id, Objects.requireNonNull(fn, "helper"));
            return this;
        }

        /** Removes helper {@code id}, so calling it fails with {@link MissingHelperException}. */
        public Builder withoutHelper(int id) {
            helpers.remove(id);
            return this;
        }

        /**
         * Reports every instruction the programs of this VM execute to {@code t} (null: no
         * tracing, the default). Tracing runs on the interpreter: with a tracer, programs are
         * interpreted whatever the {@linkplain #engine(Engine) engine}.
         */
        public Builder tracer(Tracer t) {
            this.tracer = t;
            return this;
        }

        public Vm build() {
            return new Vm(this);
        }
    }
}
