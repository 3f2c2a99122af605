package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The VM's behaviour on the interpreter; {@link JitTest} runs the same tests on the JIT. */
class InterpreterTest {

    /** The engine under test. */
    Engine engine() {
        return Engine.INTERPRETER;
    }

    Vm.Builder builder() {
        return Vm.builder().engine(engine());
    }

    final Vm vm = builder().build();

    RunResult run(String asm, byte[] memory) {
        return vm.load("t", AsmParser.parse(asm), Map.of()).run(new MemoryContext(memory));
    }

    long r0(String asm) {
        return run(asm, new byte[0]).returnValue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // division and modulo by zero follow the ISA: quotient 0, remainder the dividend (ALU32: its low half)
        "r0 = 7; r1 = 0; r0 /= r1                         | 0",
        "r0 = -1 ll; r1 = 0; r0 %= r1                     | -1",
        "r0 = -1 ll; w1 = 0; w0 %= w1                     | 4294967295",
        "r0 = -7; r1 = 2; r0 s/= r1                       | -3",
        "r0 = -7; r1 = 2; r0 s%= r1                       | -1",
        "r0 = 0x8000000000000000 ll; r1 = -1; r0 s/= r1   | -9223372036854775808",
        "r0 = 0x8000000000000000 ll; r1 = -1; r0 s%= r1   | 0",
        "r0 = -1 ll; r0 /= -2                             | 1",
        "w0 = -7; w0 s/= 2                                | 4294967293",
        // shifts: counts masked to the width
        "r0 = 1; r1 = 65; r0 <<= r1                       | 2",
        "w0 = 1; w1 = 33; w0 <<= w1                       | 2",
        "r0 = -8; r0 s>>= 1                               | -4",
        "w0 = -8; w0 s>>= 1                               | 4294967292",
        "r0 = -1 ll; w0 += 1                              | 0",
        // sign extension
        "r1 = 0x80; r0 = (s8)r1                           | -128",
        "r1 = 0x8000; w0 = (s16)w1                        | 4294934528",
        "r1 = 0xffffffff ll; r0 = (s32)r1                 | -1",
        // byte order
        "r0 = 0x1122334455667788 ll; r0 = be16 r0         | 34935",
        "r0 = 0x1122334455667788 ll; r0 = be32 r0         | 2289526357",
        "r0 = 0x1122334455667788 ll; r0 = le16 r0         | 30600",
        "r0 = 0x1122334455667788 ll; r0 = bswap64 r0      | -8613303245920329199",
        // 32-bit compares look only at the low halves
        "r0 = 0; r1 = 0x100000001 ll; if w1 == 1 goto +1; exit; r0 = 1 | 1",
        "r0 = 0; r1 = -1 ll; if r1 s< 0 goto +1; exit; r0 = 1  | 1",
        "r0 = 0; r1 = -1 ll; if r1 > 5 goto +1; exit; r0 = 1   | 1",
    })
    void arithmeticFollowsTheIsa(String program, long expected) {
        assertThat(r0(program.replace("; ", "\n") + "\nexit")).isEqualTo(expected);
    }

    @Test
    void memoryIsLittleEndianAndWritable() {
        RunResult r = run("r0 = *(u32 *)(r1 + 0)\n*(u16 *)(r1 + 4) = 0x1234\n*(u8 *)(r1 + 6) = r2\nexit",
                new byte[] {1, 2, 3, 4, 0, 0, 0, 0});
        assertThat(r.returnValue()).isEqualTo(0x04030201L);
        assertThat(r.data()).containsExactly(1, 2, 3, 4, 0x34, 0x12, 8, 0);
    }

    @Test
    void signExtendingLoads() {
        assertThat(run("r0 = *(s16 *)(r1 + 0)\nexit", new byte[] {(byte) 0xfe, (byte) 0xff}).returnValue()).isEqualTo(-2);
    }

    @Test
    void atomicsOnTheStack() {
        String prog = String.join("\n",
                "*(u64 *)(r10 - 8) = 10",
                "r1 = 5",
                "lock *(u64 *)(r10 - 8) += r1",
                "r2 = 3",
                "r2 = atomic_fetch_or((u64 *)(r10 - 8), r2)",
                "r0 = 15",
                "r3 = 100",
                "r0 = cmpxchg_64(r10 - 8, r0, r3)",
                "r4 = *(u64 *)(r10 - 8)",
                "r0 <<= 32",
                "r0 |= r4",
                "r0 += r2",
                "exit");
        // fetch_or saw 15, cmpxchg saw 15 (and wrote 100): (15 << 32 | 100) + 15
        assertThat(r0(prog)).isEqualTo((15L << 32 | 100) + 15);
    }

    @Test
    void localCallsHaveTheirOwnFramesAndKeepCalleeSavedRegisters() {
        String prog = String.join("\n",
                "r6 = 6",
                "*(u64 *)(r10 - 8) = 42",
                "r1 = 1",
                "r2 = 2",
                "call sub",
                "r0 += r6",
                "r1 = *(u64 *)(r10 - 8)",
                "r0 += r1",
                "exit",
                "sub:",
                "*(u64 *)(r10 - 8) = 1000",
                "r6 = 99",
                "r0 = r1",
                "r0 += r2",
                "exit");
        assertThat(r0(prog)).isEqualTo(3 + 6 + 42);
    }

    @Test
    void recursionDeeperThanEightFramesStops() {
        IllegalInstructionException e = catchThrowableOfType(IllegalInstructionException.class,
                () -> r0("call f\nexit\nf:\ncall f\nexit"));
        assertThat(e).hasMessageContaining("8 frames");
        assertThat(e.insnIndex()).isEqualTo(2);
    }

    @Test
    void anEndlessLoopRunsOutOfBudget() {
        Vm small = builder().budget(1000).build();
        BudgetExceededException e = catchThrowableOfType(BudgetExceededException.class,
                () -> small.load("loop", AsmParser.parse("r0 = 0\nl:\nr0 += 1\ngoto l\nexit"), Map.of())
                        .run(new MemoryContext(new byte[0])));
        assertThat(e).hasMessageContaining("1000 instructions");
        assertThat(e.insnIndex()).isBetween(1, 2);
    }

    @Test
    void outOfBoundsAccessesFaultWithTheirIndex() {
        MemoryFaultException e = catchThrowableOfType(MemoryFaultException.class,
                () -> run("r0 = 0\nr0 = *(u32 *)(r1 + 6)\nexit", new byte[8]));
        assertThat(e.insnIndex()).isEqualTo(1);
        assertThat(e).hasMessageContaining("memory").hasMessageContaining("[0, 8)");
        MemoryFaultException nul = catchThrowableOfType(MemoryFaultException.class, () -> r0("r1 = 0\nr0 = *(u8 *)(r1 + 0)\nexit"));
        assertThat(nul).hasMessageContaining("null pointer");
        MemoryFaultException below = catchThrowableOfType(MemoryFaultException.class, () -> r0("r0 = *(u64 *)(r10 + 0)\nexit"));
        assertThat(below).hasMessageContaining("stack");
    }

    @Test
    void unknownHelpersAreNamed() {
        MissingHelperException e = catchThrowableOfType(MissingHelperException.class, () -> r0("call 14\nexit"));
        assertThat(e).hasMessageContaining("bpf_get_current_pid_tgid (14)");
        assertThat(e.helperId()).isEqualTo(14);
    }

    @Test
    void badProgramsAreRefusedAtLoad() {
        IllegalInstructionException jump = catchThrowableOfType(IllegalInstructionException.class,
                () -> vm.load("bad", new byte[] {0x05, 0, 5, 0, 0, 0, 0, 0}, java.util.List.of()));
        assertThat(jump).hasMessageContaining("outside the program");
        IllegalInstructionException op = catchThrowableOfType(IllegalInstructionException.class,
                () -> vm.load("bad", new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0}, java.util.List.of()));
        assertThat(op).hasMessageContaining("unknown");
        assertThat(op.insnIndex()).isZero();
        // a program that could run past its last instruction (the kernel: "last insn is not an exit or jmp")
        IllegalInstructionException end = catchThrowableOfType(IllegalInstructionException.class,
                () -> vm.load("bad", new byte[] {(byte) 0xb7, 0, 0, 0, 1, 0, 0, 0}, java.util.List.of()));
        assertThat(end).hasMessageContaining("run off its end");
        assertThat(end.insnIndex()).isZero();
    }

    @Test
    void helpersSeeTheConfiguredClockCpuAndSeed() {
        AtomicLong clock = new AtomicLong(5_000);
        Vm v = builder().clock(clock::get).cpu(3).seed(1).build();
        VmProgram p = v.load("h", AsmParser.parse("call bpf_ktime_get_ns\nr6 = r0\ncall bpf_get_smp_processor_id\nr0 += r6\nexit"), Map.of());
        assertThat(p.run(new MemoryContext(new byte[0])).returnValue()).isEqualTo(5_003);
        clock.addAndGet(10);
        assertThat(p.run(new MemoryContext(new byte[0])).returnValue()).isEqualTo(5_013);
        VmProgram rnd = v.load("r", AsmParser.parse("call bpf_get_prandom_u32\nexit"), Map.of());
        long a = builder().seed(9).build().load("r", AsmParser.parse("call bpf_get_prandom_u32\nexit"), Map.of())
                .run(new MemoryContext(new byte[0])).returnValue();
        long b = builder().seed(9).build().load("r", AsmParser.parse("call bpf_get_prandom_u32\nexit"), Map.of())
                .run(new MemoryContext(new byte[0])).returnValue();
        assertThat(a).isEqualTo(b).isBetween(0L, 0xffffffffL);
        assertThat(rnd.run(new MemoryContext(new byte[0])).returnValue()).isBetween(0L, 0xffffffffL);
    }

    @Test
    void customHelpersAndCallx() {
        Vm v = builder().helper(5, (c, r1, r2, r3, r4, r5) -> r1 * 2).build();
        assertThat(v.load("x", AsmParser.parse("r1 = 21\nr2 = 5\ncallx r2\nexit"), Map.of())
                .run(new MemoryContext(new byte[0])).returnValue()).isEqualTo(42);
    }

    @Test
    void mapsThroughHelpers() {
        MemoryMap counts = MemoryMap.create(MapSpec.of("counts", MapType.ARRAY, 4, 8, 4));
        String prog = String.join("\n",
                "*(u32 *)(r10 - 4) = 2",
                "r2 = r10",
                "r2 += -4",
                "r1 = map[counts] ll",
                "call bpf_map_lookup_elem",
                "if r0 == 0 goto out",
                "r1 = 1",
                "lock *(u64 *)(r0 + 0) += r1",
                "r0 = *(u64 *)(r0 + 0)",
                "out:",
                "exit");
        VmProgram p = vm.load("count", AsmParser.parse(prog), Map.of("counts", counts));
        p.run(new MemoryContext(new byte[0]));
        assertThat(p.run(new MemoryContext(new byte[0])).returnValue()).isEqualTo(2);
        byte[] v = new byte[8];
        assertThat(counts.lookup(new byte[] {2, 0, 0, 0}, v)).isTrue();
        assertThat(v[0]).isEqualTo((byte) 2);
    }

    @Test
    void valuesOfMapsProgramsMayOnlyReadAreReadOnly() {
        MapSpec rodata = MapSpec.of(".rodata", MapType.ARRAY, 4, 8, 1).withFlags(io.jbpf.core.map.MapFlags.RDONLY_PROG);
        MemoryMap ro = MemoryMap.create(rodata);
        ro.update(new byte[4], new byte[] {7, 0, 0, 0, 0, 0, 0, 0}, io.jbpf.core.map.MapFlags.ANY);
        String read = "r1 = map_value[ro] + 0 ll\nr0 = *(u64 *)(r1 + 0)\nexit";
        assertThat(vm.load("ro", AsmParser.parse(read), Map.of("ro", ro)).run(new MemoryContext(new byte[0]))
                .returnValue()).isEqualTo(7);
        // a direct value access (lddw src 2) and a lookup both hand out read-only memory, as the verifier has it
        String direct = "r1 = map_value[ro] + 0 ll\n*(u64 *)(r1 + 0) = 1\nr0 = 0\nexit";
        assertThatThrownBy(() -> vm.load("ro", AsmParser.parse(direct), Map.of("ro", ro))
                .run(new MemoryContext(new byte[0]))).isInstanceOf(MemoryFaultException.class)
                .hasMessageContaining("read-only");
        String lookup = String.join("\n", "*(u32 *)(r10 - 4) = 0", "r2 = r10", "r2 += -4", "r1 = map[ro] ll",
                "call bpf_map_lookup_elem", "if r0 == 0 goto out", "*(u64 *)(r0 + 0) = 1", "out:", "r0 = 0", "exit");
        assertThatThrownBy(() -> vm.load("ro", AsmParser.parse(lookup), Map.of("ro", ro))
                .run(new MemoryContext(new byte[0]))).isInstanceOf(MemoryFaultException.class);
        byte[] v = new byte[8];
        ro.lookup(new byte[4], v);
        assertThat(v[0]).isEqualTo((byte) 7);
    }

    @Test
    void traceOutputIsCaptured() {
        String prog = String.join("\n",
                "r1 = 0x0a64252078 ll", // "x %d\n" little-endian
                "*(u64 *)(r10 - 8) = r1",
                "r1 = r10",
                "r1 += -8",
                "r2 = 8",
                "r3 = -5",
                "call bpf_trace_printk",
                "r0 = 0",
                "exit");
        assertThat(run(prog, new byte[0]).trace()).containsExactly("x -5");
    }

    @Test
    void atomicsFromConcurrentRunsAreNotLost() throws Exception {
        // four threads add to one map value (64-bit add, 32-bit add on its neighbour): no update is lost
        MemoryMap counts = MemoryMap.create(MapSpec.of("counts", MapType.ARRAY, 4, 16, 1));
        String prog = String.join("\n",
                "*(u32 *)(r10 - 4) = 0",
                "r1 = map[counts] ll",
                "r2 = r10",
                "r2 += -4",
                "call bpf_map_lookup_elem",
                "if r0 == 0 goto out",
                "r1 = 1",
                "lock *(u64 *)(r0 + 0) += r1",
                "r1 = 3",
                "lock *(u32 *)(r0 + 8) += r1",
                "out:",
                "r0 = 0",
                "exit");
        VmProgram p = vm.load("atomics", AsmParser.parse(prog), Map.of("counts", counts));
        int threads = 4;
        int runs = 5000;
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            ts[t] = new Thread(() -> {
                for (int i = 0; i < runs; i++) {
                    p.run(new MemoryContext(new byte[0]));
                }
            });
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        byte[] v = new byte[16];
        counts.lookup(new byte[4], v);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(v).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getLong(0)).isEqualTo((long) threads * runs);
        assertThat(b.getInt(8)).isEqualTo(3 * threads * runs);
    }
}
