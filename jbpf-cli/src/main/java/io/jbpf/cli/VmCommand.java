package io.jbpf.cli;

import io.jbpf.core.VerifierException;
import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.insn.InsnCodec;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.HelperFunction;
import io.jbpf.core.vm.MemoryContext;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Tracer;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.loader.BpfObject;
import io.jbpf.loader.ObjectSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf vm run|plugin}: runs programs in the JVM's eBPF VM (or, for comparison, the kernel's test run). */
@Command(name = "vm", description = "Run eBPF programs in the VM inside the JVM.",
        subcommands = {VmCommand.RunCmd.class, VmCommand.PluginCmd.class})
final class VmCommand {
    private VmCommand() {}

    /** The engines the commands accept, by their command-line names. */
    enum EngineName {
        interp, jit, kernel;

        Engine vmEngine() {
            return this == jit ? Engine.JIT : Engine.INTERPRETER;
        }
    }

    /** Helper 5 of ISA conformance runners ("unwind"): returns r1; when r1 is 0 the program stops with r0 = 0. */
    static final HelperFunction UNWIND = (c, r1, r2, r3, r4, r5) -> {
        if (r1 == 0) {
            c.stop(0);
        }
        return r1;
    };

    /** A VM builder for {@code engine}, with the conformance runners' helper 5. */
    static Vm.Builder conformanceVm(Engine engine) {
        return Vm.builder().engine(engine).helper(5, UNWIND);
    }

    /** Loads {@code code} on {@code vm}, turning the JIT's absence into a message that says so. */
    static VmProgram load(Vm vm, String name, byte[] code) {
        try {
            return vm.load(name, code, List.of());
        } catch (UnsupportedOperationException e) {
            throw unavailable(vm.engine(), e);
        }
    }

    static IllegalArgumentException unavailable(Engine engine, UnsupportedOperationException e) {
        return new IllegalArgumentException("the " + engine.name().toLowerCase(java.util.Locale.ROOT)
                + " engine is not available in this build (" + e.getMessage() + "); use --engine interp", e);
    }

    /**
     * What {@code jbpf vm plugin} does with one program: runs {@code hexProgram} (little-endian
     * 8-byte instructions as hex) over {@code memory} and gives r0.
     */
    static long runPlugin(Engine engine, String hexProgram, byte[] memory) {
        byte[] code = Hex.parse(hexProgram.strip());
        VmProgram p = load(conformanceVm(engine).build(), "plugin", code);
        return p.run(new MemoryContext(memory)).returnValue();
    }

    @Command(name = "plugin", description = {
        "Run one program as a plugin of ISA conformance runners (bpf_conformance): reads the program as one line of hex "
                + "on standard input (little-endian 8-byte instructions), runs it with r1 = a copy of MEM, r2 = its length "
                + "and r10 = the top of a 512-byte stack, prints r0 as 0x... and exits 0.",
        "On any failure it prints one line saying what went wrong and exits 1. Helper 5 (unwind) returns its first "
                + "argument and stops the program with r0 = 0 when that is 0."})
    static final class PluginCmd implements java.util.concurrent.Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "MEM", arity = "0..*", description = "The memory as hex bytes (spaces between bytes allowed).")
        List<String> memory = new ArrayList<>();

        @Option(names = "--engine", defaultValue = "interp", description = "interp or jit (default: ${DEFAULT-VALUE}).")
        EngineName engine;

        /** Where the program is read from; standard input unless a test sets it. */
        InputStream in = System.in;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                if (engine == EngineName.kernel) {
                    throw new IllegalArgumentException("the plugin runs on interp or jit, not the kernel");
                }
                String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)).readLine();
                if (line == null || line.isBlank()) {
                    throw new IllegalArgumentException("no program on standard input (expected one line of hex)");
                }
                byte[] mem = Hex.parse(String.join(" ", memory));
                long r0 = runPlugin(engine.vmEngine(), line, mem);
                out.println("0x" + Long.toHexString(r0));
                out.flush();
                return 0;
            } catch (IOException | RuntimeException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                out.println("error: " + msg.replace('\n', ' '));
                out.flush();
                return 1;
            }
        }
    }

    @Command(name = "run", description = {
        "Run a program over raw memory and print r0. FILE is assembly text, raw little-endian instruction bytes, "
                + "or an ELF object (--program picks one of its programs; its maps become in-memory maps).",
        "With --engine kernel the program runs through BPF_PROG_TEST_RUN as a socket-buffer (sched_cls) program, "
                + "ELF programs as their own type: the kernel gives r1 its context, not the raw memory, and reports "
                + "only the low 32 bits of r0."})
    static final class RunCmd implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", arity = "0..1", description = "Assembly text, raw instruction bytes or an ELF object.")
        Path file;

        @Option(names = "--hex", paramLabel = "HEX", description = "The program as hex (little-endian 8-byte instructions).")
        String hex;

        @Option(names = "--mem", paramLabel = "HEX", description = "The memory r1 points to, as hex bytes (default: none).")
        String mem;

        @Option(names = "--engine", defaultValue = "interp", description = "interp, jit or kernel (default: ${DEFAULT-VALUE}).")
        EngineName engine;

        @Option(names = "--trace", description = "Print every instruction executed with the registers it changed (runs on the interpreter).")
        boolean trace;

        @Option(names = "--program", paramLabel = "NAME", description = "The program of an ELF object with several.")
        String program;

        @Override
        public void run() {
            if ((file == null) == (hex == null)) {
                throw new IllegalArgumentException("give either FILE or --hex");
            }
            if (trace && engine == EngineName.kernel) {
                throw new IllegalArgumentException("--trace runs on the interpreter; the kernel cannot trace");
            }
            byte[] memory = mem == null ? new byte[0] : Hex.parse(mem);
            PrintWriter w = spec.commandLine().getOut();
            Source src = hex != null ? Source.ofCode("hex", Hex.parse(hex)) : Source.read(file, program);
            long r0;
            if (engine == EngineName.kernel) {
                r0 = runInKernel(src, memory, w);
            } else {
                Vm.Builder b = Vm.builder().engine(engine.vmEngine());
                if (trace) {
                    b.tracer(new TracePrinter(w));
                }
                VmProgram p;
                try {
                    p = src.load(b.build());
                } catch (UnsupportedOperationException e) {
                    throw unavailable(engine.vmEngine(), e);
                }
                RunResult r = p.run(new MemoryContext(memory));
                r0 = r.returnValue();
                r.trace().forEach(line -> w.println("trace_printk: " + line));
                if (trace) {
                    w.printf("%d instructions%n", r.instructions());
                }
            }
            w.printf("r0 = 0x%x (%d)%n", r0, r0);
            w.flush();
        }

        private long runInKernel(Source src, byte[] memory, PrintWriter w) {
            // skb test runs need at least an Ethernet header of data
            byte[] data = memory.length >= 14 ? memory : Arrays.copyOf(memory, 14);
            TestRun run = TestRun.withData(data);
            TestRunResult r;
            try {
                if (src.object != null) {
                    try (BpfObject loaded = BpfObject.load(src.object)) {
                        r = loaded.program(src.spec.name()).testRun(run);
                    }
                } else {
                    try (Program p = Program.load(src.spec)) {
                        r = p.testRun(run);
                    }
                }
            } catch (VerifierException e) {
                throw new IllegalArgumentException("the kernel refused the program, so it cannot run there (it runs as a "
                        + src.spec.type().name().toLowerCase(java.util.Locale.ROOT)
                        + " program, whose r1 is the kernel's context rather than the raw memory):\n" + e.getMessage(), e);
            }
            w.printf("kernel: %s program, %d ns; r0 is the 32-bit return value of the test run%n",
                    src.spec.type().name().toLowerCase(java.util.Locale.ROOT), r.durationNs());
            return r.returnValue() & 0xffffffffL;
        }
    }

    /** A program read from the command line: instructions, or a program of an ELF object with its maps. */
    private record Source(ProgramSpec spec, byte[] code, ObjectSpec object) {
        static Source ofCode(String name, byte[] code) {
            List<Insn> insns = InsnCodec.decode(code, ByteOrder.LITTLE_ENDIAN);
            return new Source(ProgramSpec.builder(name, ProgramType.SCHED_CLS).instructions(insns).build(),
                    code, null);
        }

        static Source read(Path file, String program) {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            String name = file.getFileName().toString().replaceAll("\\..*$", "").replaceAll("[^A-Za-z0-9_]", "_");
            name = name.isEmpty() ? "prog" : name.substring(0, Math.min(15, name.length()));
            if (bytes.length >= 4 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F') {
                ObjectSpec obj = ObjectSpec.open(file);
                Map<String, ProgramSpec> progs = obj.programs();
                ProgramSpec spec;
                if (program != null) {
                    spec = progs.get(program);
                    if (spec == null) {
                        throw new IllegalArgumentException(file + " has no program '" + program + "' (programs: "
                                + progs.keySet() + ")");
                    }
                } else if (progs.size() == 1) {
                    spec = progs.values().iterator().next();
                } else {
                    throw new IllegalArgumentException(file + " has " + progs.size()
                            + " programs; pick one with --program (programs: " + progs.keySet() + ")");
                }
                return new Source(spec, null, obj);
            }
            String text = text(bytes);
            if (text != null) {
                List<Insn> insns = AsmParser.parse(text);
                return new Source(ProgramSpec.builder(name, ProgramType.SCHED_CLS).instructions(insns)
                        .build(), InsnCodec.encode(insns, ByteOrder.LITTLE_ENDIAN), null);
            }
            return ofCode(name, bytes);
        }

        /** The file as text if it is printable UTF-8, else null (raw instruction bytes). */
        private static String text(byte[] bytes) {
            try {
                String s = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
                for (int i = 0; i < s.length(); i++) {
                    char c = s.charAt(i);
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
                        return null;
                    }
                }
                return s;
            } catch (CharacterCodingException e) {
                return null;
            }
        }

        VmProgram load(Vm vm) {
            if (object == null) {
                return vm.load(spec.name(), code, List.of());
            }
            Map<String, MemoryMap> maps = new LinkedHashMap<>();
            for (Map.Entry<String, MapSpec> e : object.maps().entrySet()) {
                MemoryMap m = MemoryMap.create(e.getValue());
                object.initialValue(e.getKey()).ifPresent(v -> m.update(new byte[e.getValue().keySize()], v, 0));
                maps.put(e.getKey(), m);
            }
            return vm.load(spec, maps);
        }
    }

    /** Prints each instruction with the registers it changed. */
    private static final class TracePrinter implements Tracer {
        private final PrintWriter w;
        private final Disassembler d = Disassembler.create().withHelperNames(true);

        TracePrinter(PrintWriter w) {
            this.w = w;
        }

        @Override
        public void step(int index, Insn insn, long[] before, long[] after) {
            StringBuilder changed = new StringBuilder();
            for (int i = 0; i < after.length; i++) {
                if (before[i] != after[i]) {
                    changed.append(changed.length() == 0 ? "" : ", ").append('r').append(i).append(" = 0x")
                            .append(Long.toHexString(after[i]));
                }
            }
            String text = d.format(insn);
            w.println(changed.length() == 0 ? String.format("%5d: %s", index, text)
                    : String.format("%5d: %-36s ; %s", index, text, changed));
        }
    }
}
