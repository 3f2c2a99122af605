package io.jbpf.core.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.jbpf.core.asm.AsmParser;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.vm.internal.Interpreter;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every test of {@link InterpreterTest} on the JIT, and what only the JIT has. */
class JitTest extends InterpreterTest {

    @Override
    Engine engine() {
        return Engine.JIT;
    }

    private static final Vm INTERP = Vm.builder().engine(Engine.INTERPRETER).build();

    /** The run on both engines; asserts they agree on everything a run gives, and returns it. */
    private RunResult both(Vm jitVm, Vm interpVm, String asm, byte[] memory, Map<String, MemoryMap> maps) {
        RunResult j = jitVm.load("t", AsmParser.parse(asm), maps).run(new MemoryContext(memory));
        RunResult i = interpVm.load("t", AsmParser.parse(asm), maps).run(new MemoryContext(memory));
        assertThat(j.returnValue()).isEqualTo(i.returnValue());
        assertThat(j.data()).isEqualTo(i.data());
        assertThat(j.instructions()).isEqualTo(i.instructions());
        return j;
    }

    @Test
    void eachProgramIsAHiddenClass() {
        VmProgram p = vm.load("t", AsmParser.parse("r0 = 1\nexit"), Map.of());
        Class<?> c = p.image().executor().getClass();
        assertThat(c.isHidden()).isTrue();
        assertThat(c.getPackageName()).isEqualTo("io.jbpf.core.vm.internal.jit");
        assertThat(vm.load("t", AsmParser.parse("r0 = 1\nexit"), Map.of()).image().executor().getClass()).isNotSameAs(c);
    }

    @Test
    void loopsCountEveryInstructionAsTheInterpreterDoes() {
        String prog = String.join("\n",
                "r0 = 0",
                "r1 = 0",
                "loop:",
                "r0 += r1",
                "call sub",
                "r1 += 1",
                "if r1 < 100 goto loop",
                "r6 = 0x1122334455667788 ll",
                "r0 ^= r6",
                "exit",
                "sub:",
                "r2 = r1",
                "r2 &= 1",
                "if r2 == 0 goto even",
                "r0 += 7",
                "even:",
                "exit");
        RunResult r = both(vm, INTERP, prog, new byte[0], Map.of());
        assertThat(r.instructions()).isGreaterThan(600);
    }

    @Test
    void theBudgetStopsAtTheSameInstructionAsTheInterpreter() {
        String prog = "r0 = 0\nr1 = 5\nl:\nr0 += 1\nr2 = 0x100000000 ll\nr0 += r2\nr1 -= 1\ngoto l\nexit";
        for (long budget = 1; budget <= 40; budget++) {
            Vm j = builder().budget(budget).build();
            Vm i = Vm.builder().budget(budget).build();
            BudgetExceededException ej = catchThrowableOfType(BudgetExceededException.class,
                    () -> j.load("l", AsmParser.parse(prog), Map.of()).run(new MemoryContext(new byte[0])));
            BudgetExceededException ei = catchThrowableOfType(BudgetExceededException.class,
                    () -> i.load("l", AsmParser.parse(prog), Map.of()).run(new MemoryContext(new byte[0])));
            assertThat(ej.insnIndex()).as("budget %d", budget).isEqualTo(ei.insnIndex());
            assertThat(ej).hasMessage(ei.getMessage());
        }
    }

    @Test
    void theBudgetStopsForwardOnlyCodeWhereTheInterpreterStops() {
        // no loops: the JIT checks the longest path once, and per block when that does not fit
        String prog = String.join("\n",
                "r0 = 0", "r1 = 3", "if r1 > 2 goto a", "r0 += 1", "r0 += 1", "a:", "r0 += 2",
                "call f", "r0 += 3", "r2 = 0x100000000 ll", "if r0 == 0 goto b", "r0 += r2", "b:", "r0 += 4", "exit",
                "f:", "r3 = 1", "r0 += r3", "call 5", "r0 = 9", "exit");
        for (long budget = 1; budget <= 25; budget++) {
            Vm j = builder().budget(budget).clock(() -> 7).build();
            Vm i = Vm.builder().budget(budget).clock(() -> 7).build();
            Object rj = outcome(j, prog);
            assertThat(rj).as("budget %d", budget).isEqualTo(outcome(i, prog));
        }
    }

    private static Object outcome(Vm v, String prog) {
        try {
            RunResult r = v.load("b", AsmParser.parse(prog), Map.of()).run(new MemoryContext(new byte[0]));
            return List.of(r.returnValue(), r.instructions());
        } catch (VmException e) {
            return e.getClass().getSimpleName() + " " + e.insnIndex() + " " + e.getMessage();
        }
    }

    @Test
    void faultsInsideABlockCarryTheirOwnIndex() {
        String prog = "r0 = 1\nr2 = 2\n*(u64 *)(r10 - 8) = r2\nr3 = *(u32 *)(r1 + 62)\nr0 = 3\nexit";
        MemoryFaultException ej = catchThrowableOfType(MemoryFaultException.class, () -> run(prog, new byte[64]));
        MemoryFaultException ei = catchThrowableOfType(MemoryFaultException.class,
                () -> INTERP.load("t", AsmParser.parse(prog), Map.of()).run(new MemoryContext(new byte[64])));
        assertThat(ej.insnIndex()).isEqualTo(3).isEqualTo(ei.insnIndex());
        assertThat(ej).hasMessage(ei.getMessage());
        assertThat(ej.address()).isEqualTo(ei.address());
        // calls nested too deep, a misaligned atomic: the index of the instruction
        IllegalInstructionException deep = catchThrowableOfType(IllegalInstructionException.class,
                () -> r0("r0 = 0\nr0 += 1\ncall f\nexit\nf:\nr0 += 1\ncall f\nexit"));
        assertThat(deep.insnIndex()).isEqualTo(5);
        MemoryFaultException mis = catchThrowableOfType(MemoryFaultException.class,
                () -> r0("r0 = 0\nr1 = 1\nlock *(u64 *)(r10 - 12) += r1\nexit"));
        assertThat(mis.insnIndex()).isEqualTo(2);
        assertThat(mis).hasMessageContaining("misaligned");
    }

    @Test
    void callbacksOfBpfLoopRunCompiled() {
        String prog = String.join("\n",
                "*(u64 *)(r10 - 8) = 0",
                "r1 = 10",
                "r2 = func[cb] ll",
                "r3 = r10",
                "r3 += -8",
                "r4 = 0",
                "call bpf_loop",
                "r1 = *(u64 *)(r10 - 8)",
                "r0 <<= 32",
                "r0 |= r1",
                "exit",
                "cb:",
                "r3 = *(u64 *)(r2 + 0)",
                "r3 += r1",
                "*(u64 *)(r2 + 0) = r3",
                "r0 = 0",
                "if r1 != 6 goto +1",
                "r0 = 1",
                "exit");
        RunResult r = both(vm, INTERP, prog, new byte[0], Map.of());
        assertThat(r.returnValue()).isEqualTo(7L << 32 | (0 + 1 + 2 + 3 + 4 + 5 + 6));
    }

    @Test
    void tailCallsLeaveTheCompiledCodeAtOnce() {
        MemoryMap jumps = MemoryMap.create(MapSpec.of("jumps", MapType.PROG_ARRAY, 4, 4, 2));
        String target = "r0 = 42\nexit";
        String caller = String.join("\n",
                "r6 = r1",
                "call sub",
                "r0 = 1",
                "exit",
                "sub:",
                "r1 = r6",
                "r2 = map[jumps] ll",
                "r3 = 0",
                "call bpf_tail_call",
                "r0 = 2",
                "exit");
        jumps.setTarget(0, vm.load("target", AsmParser.parse(target), Map.of()));
        RunResult j = vm.load("c", AsmParser.parse(caller), Map.of("jumps", jumps)).run(new MemoryContext(new byte[0]));
        MemoryMap jumps2 = MemoryMap.create(MapSpec.of("jumps", MapType.PROG_ARRAY, 4, 4, 2));
        jumps2.setTarget(0, INTERP.load("target", AsmParser.parse(target), Map.of()));
        RunResult i = INTERP.load("c", AsmParser.parse(caller), Map.of("jumps", jumps2)).run(new MemoryContext(new byte[0]));
        assertThat(j.returnValue()).isEqualTo(42).isEqualTo(i.returnValue());
        assertThat(j.instructions()).isEqualTo(i.instructions());
    }

    /** The outcome of one XDP run: verdict, packet and count, or the fault with its index and message. */
    private static Object xdpOutcome(Vm v, String prog, byte[] packet) {
        try {
            RunResult r = v.load("x", AsmParser.parse(prog), Map.of()).run(XdpContext.of(packet));
            return List.of(r.returnValue(), java.util.HexFormat.of().formatHex(r.data()), r.instructions());
        } catch (VmException e) {
            return e.getClass().getSimpleName() + " " + e.insnIndex() + " " + e.getMessage();
        }
    }

    @Test
    void groupedPacketAccessesFaultWhereTheInterpreterFaultsForEveryPacketLength() {
        // one base register, no bounds check by the program: the JIT checks the group's whole span
        // once; when it does not fit, each access must still fault exactly where the interpreter does
        String prog = String.join("\n",
                "r2 = *(u32 *)(r1 + 0)",
                "r0 = *(u8 *)(r2 + 0)",
                "r3 = *(u16 *)(r2 + 6)",
                "r0 += r3",
                "*(u32 *)(r2 + 2) = r0",
                "r3 = *(u32 *)(r2 + 12)",
                "r0 ^= r3",
                "if r0 == 7 goto out",
                "*(u8 *)(r2 + 20) = 9",
                "r3 = *(u64 *)(r2 + 24)",
                "r0 += r3",
                "out:",
                "exit");
        agreeOnEveryPacketLength(prog, 40);
    }

    @Test
    void groupedStackAccessesAndGroupsAfterAHelperSeeTheCurrentWindow() {
        // a group through r10, then a helper that moves the packet, then a group through the old
        // data pointer: the second group must be checked against the moved window
        String prog = String.join("\n",
                "r6 = r1",
                "r7 = *(u32 *)(r6 + 0)",
                "r0 = *(u8 *)(r7 + 0)",
                "r3 = *(u8 *)(r7 + 3)",
                "*(u64 *)(r10 - 8) = r0",
                "*(u32 *)(r10 - 16) = r3",
                "r4 = *(u32 *)(r10 - 8)",
                "r1 = r6",
                "r2 = 4",
                "call bpf_xdp_adjust_head",
                "r0 = *(u8 *)(r7 + 8)",
                "r3 = *(u8 *)(r7 + 0)",
                "r0 += r3",
                "r3 = *(u32 *)(r10 - 16)",
                "r0 += r3",
                "r3 = *(u64 *)(r10 - 8)",
                "r0 += r3",
                "exit");
        for (int len = 10; len <= 24; len += 2) {
            byte[] packet = new byte[len];
            packet[0] = 5;
            packet[3] = 6;
            packet[8] = 7;
            assertThat(xdpOutcome(vm, prog, packet)).as("packet of %d bytes", len)
                    .isEqualTo(xdpOutcome(INTERP, prog, packet));
        }
    }

    /** Runs {@code prog} over XDP packets of every length up to {@code max}; both engines must agree on everything. */
    private void agreeOnEveryPacketLength(String prog, int max) {
        for (int len = 0; len <= max; len++) {
            byte[] packet = new byte[len];
            for (int i = 0; i < len; i++) {
                packet[i] = (byte) (i * 7 + 1);
            }
            assertThat(xdpOutcome(vm, prog, packet)).as("packet of %d bytes", len)
                    .isEqualTo(xdpOutcome(INTERP, prog, packet));
        }
    }

    @Test
    void accessesABoundsCheckCoversFaultWhereTheInterpreterFaultsForEveryPacketLength() {
        // the program checks 20 bytes, then reads and writes inside them through the data pointer
        // and through aliases of it, and beyond them (which the check does not cover)
        String prog = String.join("\n",
                "r2 = *(u32 *)(r1 + 0)",
                "r3 = *(u32 *)(r1 + 4)",
                "r4 = r2",
                "r4 += 20",
                "if r4 > r3 goto short",
                "r0 = *(u16 *)(r2 + 0)",
                "if r0 == 0x1234 goto out",
                "r5 = r2",
                "r5 += 4",
                "r6 = *(u32 *)(r5 + 12)",
                "r0 += r6",
                "*(u16 *)(r5 + 2) = r0",
                "r6 = *(u64 *)(r2 + 6)",
                "r0 ^= r6",
                "r6 = *(u32 *)(r5 + 14)",
                "r0 += r6",
                "r6 = *(u8 *)(r2 + 30)",
                "r0 += r6",
                "goto out",
                "short:",
                "r0 = *(u8 *)(r2 + 0)",
                "out:",
                "exit");
        agreeOnEveryPacketLength(prog, 40);
    }

    @Test
    void boundsChecksOnTheTakenEdgeInLoopsAndAtJoinsCoverOnlyWhatEveryPathChecked() {
        // "if end >= data + n goto ok" checks on the taken edge; a loop re-checks a moving pointer;
        // at the join after two checks of different lengths only the shorter one holds
        String prog = String.join("\n",
                "r2 = *(u32 *)(r1 + 0)",
                "r3 = *(u32 *)(r1 + 4)",
                "r0 = 0",
                "r4 = r2",
                "r4 += 8",
                "if r3 >= r4 goto ok",
                "exit",
                "ok:",
                "r5 = *(u8 *)(r2 + 0)",
                "r6 = r2",
                "r6 += 24",
                "if r5 > 100 goto long",
                "r6 = r2",
                "r6 += 12",
                "if r6 > r3 goto out",
                "goto join",
                "long:",
                "if r6 > r3 goto out",
                "join:",
                "r0 = *(u32 *)(r2 + 8)",
                "r7 = *(u32 *)(r2 + 16)",
                "r0 += r7",
                "r8 = r2",
                "loop:",
                "r9 = r8",
                "r9 += 2",
                "if r9 > r3 goto out",
                "r7 = *(u16 *)(r8 + 0)",
                "r0 += r7",
                "r8 += 2",
                "goto loop",
                "out:",
                "exit");
        agreeOnEveryPacketLength(prog, 40);
    }

    @Test
    void aBoundsCheckOnAnotherRegionOrBeforeAHelperVouchesForNothing() {
        // a "bounds check" of a stack pointer, then accesses through it; then a real one, after
        // which a helper moves the packet: what the check saw no longer holds
        String prog = String.join("\n",
                "r6 = r1",
                "r2 = r10",
                "r2 += -16",
                "r4 = r2",
                "r4 += 8",
                "if r4 > r10 goto out",
                "*(u64 *)(r2 + 0) = 3",
                "r0 = *(u64 *)(r2 + 0)",
                "r7 = *(u32 *)(r6 + 0)",
                "r3 = *(u32 *)(r6 + 4)",
                "r4 = r7",
                "r4 += 12",
                "if r4 > r3 goto out",
                "r8 = *(u32 *)(r7 + 8)",
                "r0 += r8",
                "r1 = r6",
                "r2 = 8",
                "call bpf_xdp_adjust_head",
                "r8 = *(u32 *)(r7 + 0)",
                "r0 += r8",
                "r8 = *(u32 *)(r7 + 8)",
                "r0 += r8",
                "out:",
                "exit");
        agreeOnEveryPacketLength(prog, 40);
    }

    @Test
    void contextLoadsGoThroughTheEntryR1OnlyWhileItIsTheContext() {
        // r6 keeps r1's entry value; r1 is then overwritten with a packet pointer and read through;
        // a subprogram gets the context once and the packet once as its r1
        String prog = String.join("\n",
                "r6 = r1",
                "r1 = *(u32 *)(r6 + 0)",
                "r3 = *(u32 *)(r6 + 4)",
                "r4 = r1",
                "r4 += 8",
                "r0 = 0",
                "if r4 > r3 goto out",
                "r0 = *(u32 *)(r1 + 4)",
                "r7 = r0",
                "r1 = r6",
                "call field",
                "r7 += r0",
                "r1 = *(u32 *)(r6 + 0)",
                "call field",
                "r0 += r7",
                "r2 = *(u32 *)(r6 + 12)",
                "r0 += r2",
                "out:",
                "exit",
                "field:",
                "r0 = *(u32 *)(r1 + 4)",
                "exit");
        agreeOnEveryPacketLength(prog, 20);
        // raw memory: r1 points at plain memory, never the context
        String raw = "r0 = *(u32 *)(r1 + 4)\nr2 = *(u32 *)(r1 + 0)\nr0 += r2\nexit";
        for (int len = 0; len <= 10; len++) {
            byte[] m = new byte[len];
            java.util.Arrays.fill(m, (byte) 3);
            Object j;
            Object i;
            try {
                j = vm.load("r", AsmParser.parse(raw), Map.of()).run(new MemoryContext(m)).returnValue();
            } catch (VmException e) {
                j = e.insnIndex() + " " + e.getMessage();
            }
            try {
                i = INTERP.load("r", AsmParser.parse(raw), Map.of()).run(new MemoryContext(m)).returnValue();
            } catch (VmException e) {
                i = e.insnIndex() + " " + e.getMessage();
            }
            assertThat(j).as("memory of %d bytes", len).isEqualTo(i);
        }
    }

    @Test
    void stackAccessesOutsideTheFrameFaultInEveryFrame() {
        // each frame writes and reads its own stack; the deepest also reaches past its frame's bottom
        String prog = String.join("\n",
                "*(u64 *)(r10 - 8) = 1",
                "*(u64 *)(r10 - 512) = 2",
                "r1 = 0",
                "call f",
                "r1 = *(u64 *)(r10 - 8)",
                "r0 += r1",
                "r1 = *(u64 *)(r10 - 512)",
                "r0 += r1",
                "exit",
                "f:",
                "*(u64 *)(r10 - 8) = 10",
                "r0 = *(u64 *)(r10 - 8)",
                "if r1 != 0 goto deep",
                "r1 = 1",
                "call f",
                "r2 = *(u64 *)(r10 - 8)",
                "r0 += r2",
                "exit",
                "deep:",
                "r2 = *(u64 *)(r10 - 520)",
                "r0 += r2",
                "exit");
        Object j = xdpOutcome(vm, prog, new byte[4]);
        assertThat(j).isEqualTo(xdpOutcome(INTERP, prog, new byte[4]));
        assertThat(j.toString()).contains("MemoryFaultException");
        String ok = prog.replace("r10 - 520", "r10 - 16");
        Object jo = xdpOutcome(vm, ok, new byte[4]);
        assertThat(jo).isEqualTo(xdpOutcome(INTERP, ok, new byte[4]));
        assertThat(((List<?>) jo).get(0)).isEqualTo(10L + 10 + 1 + 2);
    }

    @Test
    void aFunctionThatWritesR10AccessesWhereR10PointsNow() {
        // no verifier allows it, but the VM runs it: after r10 changes, stores through it go where
        // it points (here: nowhere a program may touch), not to the frame checked at entry
        // (VmFuzzTest's first finding)
        String prog = String.join("\n",
                "r6 = r1",
                "*(u64 *)(r10 - 8) = 1",
                "w10 += w9",
                "*(u64 *)(r10 - 8) = 0",
                "r0 = 0",
                "exit");
        Object j = xdpOutcome(vm, prog, new byte[0]);
        assertThat(j).isEqualTo(xdpOutcome(INTERP, prog, new byte[0]));
        assertThat(j.toString()).startsWith("MemoryFaultException 3 ");
    }

    @Test
    void legacyPacketLoadsOutsideThePacketEndTheProgram() {
        // a raw-memory context has no packet: LD_ABS ends the run with r0 = 0, also inside a call
        String prog = "r0 = 5\ncall f\nr0 = 9\nexit\nf:\nr6 = r1\nr0 = *(u8 *)skb[3]\nr0 = 7\nexit";
        RunResult r = both(vm, INTERP, prog, new byte[4], Map.of());
        assertThat(r.returnValue()).isZero();
    }

    @Test
    void helpersThatMoveThePacketAreSeenByCompiledLoads() {
        // the JIT keeps the packet's window in locals: a helper that moves it must empty that cache
        String prog = String.join("\n",
                "r6 = r1",
                "r7 = *(u32 *)(r6 + 0)",
                "r0 = *(u8 *)(r7 + 0)",
                "r1 = r6",
                "r2 = 4",
                "call bpf_xdp_adjust_head",
                "r0 = *(u8 *)(r7 + 0)",
                "exit");
        byte[] packet = new byte[64];
        MemoryFaultException ej = catchThrowableOfType(MemoryFaultException.class,
                () -> vm.load("x", AsmParser.parse(prog), Map.of()).run(XdpContext.of(packet)));
        MemoryFaultException ei = catchThrowableOfType(MemoryFaultException.class,
                () -> INTERP.load("x", AsmParser.parse(prog), Map.of()).run(XdpContext.of(packet)));
        assertThat(ej.insnIndex()).isEqualTo(6).isEqualTo(ei.insnIndex());
        assertThat(ej).hasMessage(ei.getMessage());
    }

    @Test
    void programsTooLargeForOneJvmMethodRunOnTheInterpreterWithTheSameResults() {
        // 20,000 instructions in one function: more than the 64 KB of bytecode a JVM method may hold
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        java.util.Random rnd = new java.util.Random(5);
        int n = 20_000;
        JitDifferentialTest.emit(out, 0xb7, 0, 0, 0, 1);
        for (int i = 1; i < n - 1; i++) {
            switch (i >= n - 2 || i % 2000 >= 1997 ? 0 : rnd.nextInt(4)) {
                case 0 -> JitDifferentialTest.emit(out, 0x07, 0, 0, 0, rnd.nextInt());
                case 1 -> JitDifferentialTest.emit(out, 0x27, 0, 0, 0, rnd.nextInt() | 1);
                case 2 -> JitDifferentialTest.emit(out, 0xa7, 0, 0, 0, rnd.nextInt());
                default -> JitDifferentialTest.emit(out, 0x25, 0, 0, 1, rnd.nextInt(1000)); // if r0 > k goto +1
            }
        }
        JitDifferentialTest.emit(out, 0x95, 0, 0, 0, 0);
        byte[] code = out.toByteArray();
        VmProgram j = vm.load("big", code, List.of());
        assertThat(j.image().executor()).isInstanceOf(Interpreter.class);
        assertThat(j.engine()).as("the engine it really runs on").isEqualTo(Engine.INTERPRETER);
        RunResult rj = j.run(new MemoryContext(new byte[0]));
        RunResult ri = INTERP.load("big", code, List.of()).run(new MemoryContext(new byte[0]));
        assertThat(rj.returnValue()).isEqualTo(ri.returnValue());
        assertThat(rj.instructions()).isEqualTo(ri.instructions()).isGreaterThan(n / 2);
        // one of 2,000 instructions still compiles
        byte[] small = java.util.Arrays.copyOfRange(code, 0, 2_000 * 8);
        java.util.Arrays.fill(small, small.length - 8, small.length, (byte) 0);
        small[small.length - 8] = (byte) 0x95;
        VmProgram compiled = vm.load("small", small, List.of());
        assertThat(compiled.image().executor().getClass().isHidden()).isTrue();
        assertThat(compiled.engine()).isEqualTo(Engine.JIT);
    }
}
