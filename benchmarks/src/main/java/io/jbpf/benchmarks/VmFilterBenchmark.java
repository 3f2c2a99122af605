package io.jbpf.benchmarks;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import io.jbpf.core.vm.internal.ContextState;
import io.jbpf.core.vm.internal.Contexts;
import io.jbpf.core.vm.internal.Executor;
import io.jbpf.core.vm.internal.Image;
import io.jbpf.core.vm.internal.Machine;
import io.jbpf.core.vm.internal.Settings;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds per packet of three XDP filters in the VM, on the interpreter and on the JIT: a
 * small port filter (Ethernet/IPv4/TCP just far enough to compare the destination port), a parser
 * that reads most fields of Ethernet, IPv4 and TCP, and a map-heavy counter (an array lookup and
 * a hash lookup or update per packet, with atomic adds); and {@code noop}, a two-instruction
 * program, for the engine's fixed cost per run.
 *
 * <p>{@code run} is one {@link VmProgram#run} as a test calls it: the run's memory and the XDP
 * frame set up, the program run, the result copied out. {@code execute} is the engine alone: the
 * program's executor called again and again over one machine and frame (the budget reset before
 * each call), which is where the interpreter and the JIT differ.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class VmFilterBenchmark {

    /** Passes every packet: the engine's fixed cost of a run, with no filter to speak of. */
    public static final String NOOP = String.join("\n",
            "r0 = 2",
            "exit");

    /** Drops TCP to port 80; passes everything else. */
    public static final String PORT_FILTER = String.join("\n",
            "r2 = *(u32 *)(r1 + 0)",
            "r3 = *(u32 *)(r1 + 4)",
            "r4 = r2",
            "r4 += 54",
            "if r4 > r3 goto pass",
            "r5 = *(u16 *)(r2 + 12)",
            "if r5 != 0x8 goto pass",
            "r5 = *(u8 *)(r2 + 23)",
            "if r5 != 6 goto pass",
            "r5 = *(u16 *)(r2 + 36)",
            "if r5 != 0x5000 goto pass",
            "r0 = 1",
            "exit",
            "pass:",
            "r0 = 2",
            "exit");

    /** Reads most header fields (variable IPv4 header length) and folds them into the verdict. */
    public static final String PARSER = String.join("\n",
            "r2 = *(u32 *)(r1 + 0)",
            "r3 = *(u32 *)(r1 + 4)",
            "r4 = r2",
            "r4 += 34",
            "if r4 > r3 goto pass",
            "r0 = 0",
            "r5 = *(u32 *)(r2 + 0)",
            "r0 += r5",
            "r5 = *(u16 *)(r2 + 4)",
            "r0 += r5",
            "r5 = *(u32 *)(r2 + 6)",
            "r0 ^= r5",
            "r5 = *(u16 *)(r2 + 10)",
            "r0 += r5",
            "r5 = *(u16 *)(r2 + 12)",
            "r5 = be16 r5",
            "if r5 != 0x800 goto pass",
            "r5 = *(u8 *)(r2 + 14)",
            "r6 = r5",
            "r6 &= 15",
            "r6 <<= 2",
            "if r6 < 20 goto drop",
            "r5 >>= 4",
            "if r5 != 4 goto drop",
            "r5 = *(u8 *)(r2 + 15)",
            "r0 += r5",
            "r5 = *(u16 *)(r2 + 16)",
            "r5 = be16 r5",
            "r0 += r5",
            "r5 = *(u16 *)(r2 + 18)",
            "r5 = be16 r5",
            "r0 ^= r5",
            "r5 = *(u16 *)(r2 + 20)",
            "r5 = be16 r5",
            "r5 &= 0x1fff",
            "if r5 != 0 goto pass",
            "r5 = *(u8 *)(r2 + 22)",
            "r0 += r5",
            "r7 = *(u8 *)(r2 + 23)",
            "r5 = *(u16 *)(r2 + 24)",
            "r0 += r5",
            "r8 = *(u32 *)(r2 + 26)",
            "r8 = be32 r8",
            "r9 = *(u32 *)(r2 + 30)",
            "r9 = be32 r9",
            "r0 += r8",
            "r0 ^= r9",
            "if r7 != 6 goto pass",
            "r4 = r2",
            "r4 += 14",
            "r4 += r6",
            "r5 = r4",
            "r5 += 20",
            "if r5 > r3 goto drop",
            "r5 = *(u16 *)(r4 + 0)",
            "r5 = be16 r5",
            "r0 += r5",
            "r5 = *(u16 *)(r4 + 2)",
            "r5 = be16 r5",
            "r0 += r5",
            "r5 = *(u32 *)(r4 + 4)",
            "r5 = be32 r5",
            "r0 ^= r5",
            "r5 = *(u32 *)(r4 + 8)",
            "r5 = be32 r5",
            "r0 += r5",
            "r5 = *(u8 *)(r4 + 12)",
            "r5 >>= 4",
            "r5 <<= 2",
            "if r5 < 20 goto drop",
            "r5 = *(u8 *)(r4 + 13)",
            "r0 += r5",
            "r5 = *(u16 *)(r4 + 14)",
            "r5 = be16 r5",
            "r0 += r5",
            "r0 &= 1",
            "r0 += 2",
            "exit",
            "pass:",
            "r0 = 2",
            "exit",
            "drop:",
            "r0 = 1",
            "exit");

    /** Counts packets per IP protocol (array) and per address pair (hash, added on first sight). */
    public static final String COUNTER = String.join("\n",
            "r6 = r1",
            "r2 = *(u32 *)(r6 + 0)",
            "r3 = *(u32 *)(r6 + 4)",
            "r4 = r2",
            "r4 += 34",
            "if r4 > r3 goto pass",
            "r5 = *(u8 *)(r2 + 23)",
            "*(u32 *)(r10 - 4) = r5",
            "r7 = *(u32 *)(r2 + 26)",
            "r8 = *(u32 *)(r2 + 30)",
            "*(u32 *)(r10 - 16) = r7",
            "*(u32 *)(r10 - 12) = r8",
            "r1 = map[protos] ll",
            "r2 = r10",
            "r2 += -4",
            "call bpf_map_lookup_elem",
            "if r0 == 0 goto flows",
            "r1 = 1",
            "lock *(u64 *)(r0 + 0) += r1",
            "flows:",
            "r1 = map[flows] ll",
            "r2 = r10",
            "r2 += -16",
            "call bpf_map_lookup_elem",
            "if r0 == 0 goto new",
            "r1 = 1",
            "lock *(u64 *)(r0 + 0) += r1",
            "goto pass",
            "new:",
            "*(u64 *)(r10 - 24) = 1",
            "r1 = map[flows] ll",
            "r2 = r10",
            "r2 += -16",
            "r3 = r10",
            "r3 += -24",
            "r4 = 0",
            "call bpf_map_update_elem",
            "pass:",
            "r0 = 2",
            "exit");

    @Param({"INTERPRETER", "JIT"})
    public Engine engine;

    @Param({"noop", "port", "parser", "counter"})
    public String filter;

    private VmProgram program;
    private XdpContext packet;
    private Machine machine;
    private Executor executor;
    private long r1;
    private long r2;
    private long fp;

    /** An Ethernet/IPv4/TCP frame to port 80 with 10 bytes of payload. */
    public static byte[] tcpPacket() {
        byte[] p = new byte[14 + 20 + 20 + 10];
        byte[] eth = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00};
        System.arraycopy(eth, 0, p, 0, eth.length);
        byte[] ip = {0x45, 0, 0, 50, 0x12, 0x34, 0x40, 0, 64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
        System.arraycopy(ip, 0, p, 14, ip.length);
        byte[] tcp = {(byte) 0x9c, 0x40, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0, 0x50, 0x02, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0};
        System.arraycopy(tcp, 0, p, 34, tcp.length);
        return p;
    }

    /** The filter loaded on a VM with {@code e}, with fresh maps. */
    public static VmProgram load(Engine e, String filter) {
        Vm vm = Vm.builder().engine(e).build();
        switch (filter) {
            case "noop":
                return vm.load("noop", AsmParser.parse(NOOP), Map.of());
            case "port":
                return vm.load("port", AsmParser.parse(PORT_FILTER), Map.of());
            case "parser":
                return vm.load("parser", AsmParser.parse(PARSER), Map.of());
            case "counter":
                return vm.load("counter", AsmParser.parse(COUNTER), Map.of(
                        "protos", MemoryMap.create(MapSpec.of("protos", MapType.ARRAY, 4, 8, 256)),
                        "flows", MemoryMap.create(MapSpec.of("flows", MapType.HASH, 8, 8, 1024))));
            default:
                throw new IllegalArgumentException(filter);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        program = load(engine, filter);
        packet = XdpContext.of(tcpPacket());
        RunResult r = program.run(packet);
        RunResult expected = load(Engine.INTERPRETER, filter).run(packet);
        if (r.returnValue() != expected.returnValue() || r.instructions() != expected.instructions()) {
            throw new IllegalStateException(engine + " gives " + r.returnValue() + " in " + r.instructions()
                    + " instructions, the interpreter " + expected.returnValue() + " in " + expected.instructions());
        }
        try {
            Method image = VmProgram.class.getDeclaredMethod("image");
            image.setAccessible(true);
            Method settings = Vm.class.getDeclaredMethod("settings");
            settings.setAccessible(true);
            Field vm = VmProgram.class.getDeclaredField("vm");
            vm.setAccessible(true);
            Image img = (Image) image.invoke(program);
            machine = new Machine((Settings) settings.invoke(vm.get(program)), img);
            executor = img.executor();
        } catch (ReflectiveOperationException ex) {
            throw new IllegalStateException(ex);
        }
        ContextState state = Contexts.bind(packet, machine);
        machine.context = state;
        r1 = state.r1();
        r2 = state.r2();
        fp = machine.framePointer();
        if (execute() != r.returnValue()) {
            throw new IllegalStateException("execute gives another verdict than run");
        }
    }

    @Benchmark
    public long run() {
        return program.run(packet).returnValue();
    }

    @Benchmark
    public long execute() {
        machine.steps = 0;
        return executor.execute(machine, 0, r1, r2, 0, 0, 0, fp);
    }
}
