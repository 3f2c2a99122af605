package io.jbpf.core.vm.internal;

import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.vm.HelperContext;
import io.jbpf.core.vm.HelperFunction;
import io.jbpf.core.vm.IllegalInstructionException;
import io.jbpf.core.vm.MissingHelperException;
import io.jbpf.core.vm.VmException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one run: memory, the program running (which a tail call replaces), call depth,
 * the instruction count, and what the context's helpers changed. Shared by both engines; helpers
 * see it as a {@link HelperContext}.
 */
public final class Machine implements HelperContext {
    /** Bytes of stack per call frame. */
    public static final int FRAME = 512;
    /** Frames a run may nest (local calls and helper callbacks), as the kernel's MAX_CALL_FRAMES. */
    public static final int MAX_FRAMES = 8;
    /** Tail calls one run may make, as the kernel's MAX_TAIL_CALL_CNT. */
    public static final int MAX_TAIL_CALLS = 33;

    private static final long MAP_TAG = 0x7ffeL << 48;
    private static final long FUNC_TAG = 0x7ffdL << 48;

    public final Memory memory = new Memory();
    public final Settings settings;
    private List<String> trace = List.of();
    private MemoryMap[] mapsByHandle = new MemoryMap[4];
    private int mapCount;
    /** The deepest frame this run entered: the stack below it is untouched and still zero. */
    private int deepest;
    /** A reusable 4 KB XDP frame and the part of it a run may have dirtied. */
    private byte[] xdpFrame;
    int xdpDirtyLo = Integer.MAX_VALUE;
    int xdpDirtyHi;

    public Image current;
    public long steps;
    public final long budget;
    /** Frames active beyond the first. */
    public int depth;
    public final int stackRegion;
    public final long stackTop;
    /** The slot of the instruction being executed, kept up to date at helper calls. */
    public int pc;

    public boolean unwinding;
    public long unwindValue;
    public Image tailTarget;
    public int tailCalls;
    public ContextState context;
    /** Ring buffer records reserved and not yet submitted or discarded. */
    public final Map<byte[], io.jbpf.core.map.MemoryRingBuffer> reserved = new IdentityHashMap<>();
    /** Whether a run is using this machine (a nested run of the same program needs another). */
    public boolean busy;

    /** Whether helper 1 is the standard map lookup, which compiled code then calls directly. */
    public final boolean standardLookup;
    /** Whether helper 2 is the standard map update, which compiled code then calls directly. */
    public final boolean standardUpdate;

    public Machine(Settings settings, Image program) {
        this.settings = settings;
        this.standardLookup = settings.helpers.length > 1 && settings.helpers[1] == StandardHelpers.MAP_LOOKUP;
        this.standardUpdate = settings.helpers.length > 2 && settings.helpers[2] == StandardHelpers.MAP_UPDATE;
        this.budget = settings.budget;
        this.current = program;
        this.stackRegion = memory.add("stack", new byte[FRAME * MAX_FRAMES], 0, FRAME * MAX_FRAMES, false);
        memory.markStack(stackRegion);
        this.stackTop = Memory.address(stackRegion, FRAME * MAX_FRAMES);
        stackWindow();
    }

    /**
     * Makes the machine ready for another run of {@code program}: the regions of the last run go,
     * the stack the last run touched is zeroed, counters and flags start over.
     */
    public void reset(Image program) {
        memory.truncate(stackRegion + 1);
        java.util.Arrays.fill(memory.array(stackRegion), FRAME * (MAX_FRAMES - 1 - deepest), FRAME * MAX_FRAMES, (byte) 0);
        deepest = 0;
        depth = 0;
        stackWindow();
        current = program;
        steps = 0;
        pc = 0;
        unwinding = false;
        unwindValue = 0;
        tailTarget = null;
        tailCalls = 0;
        context = null;
        trace = List.of();
        java.util.Arrays.fill(mapsByHandle, 0, mapCount, null);
        mapCount = 0;
        reserved.clear();
    }

    /** Only the frames entered so far are stack the program may touch, as the verifier allows. */
    private void stackWindow() {
        memory.setWindow(stackRegion, FRAME * (MAX_FRAMES - 1 - depth), FRAME * MAX_FRAMES);
    }

    /** Starts the frame pointer over at the first frame (a tail call reuses the stack). */
    public void resetFrames() {
        depth = 0;
        stackWindow();
    }

    /** The reusable XDP frame, with the part the last run dirtied zeroed again. */
    byte[] xdpFrame(int size) {
        if (xdpFrame == null) {
            xdpFrame = new byte[size];
        } else if (xdpDirtyLo < xdpDirtyHi) {
            java.util.Arrays.fill(xdpFrame, xdpDirtyLo, xdpDirtyHi, (byte) 0);
        }
        xdpDirtyLo = Integer.MAX_VALUE;
        xdpDirtyHi = 0;
        return xdpFrame;
    }

    /** The frame pointer of a frame entered at the current depth. */
    public long framePointer() {
        return stackTop - (long) FRAME * depth;
    }

    /** Enters a nested frame (a local call or a callback); fails beyond {@link #MAX_FRAMES}. */
    public long enterFrame(int at) {
        if (depth + 1 >= MAX_FRAMES) {
            throw new IllegalInstructionException(at, "calls nested more than " + MAX_FRAMES + " frames deep");
        }
        depth++;
        if (depth > deepest) {
            deepest = depth;
        }
        stackWindow();
        return framePointer();
    }

    public void leaveFrame() {
        depth--;
        stackWindow();
    }

    /** Counts {@code n} more instructions; fails past the budget. */
    public void count(long n, int at) {
        steps += n;
        if (steps > budget) {
            throw new io.jbpf.core.vm.BudgetExceededException(at, budget);
        }
    }

    /**
     * Counts the {@code n} instructions of a straight-line block starting at slot {@code at}, as
     * the JIT does at every block entry. Past the budget it fails at the instruction where counting
     * one at a time would have failed.
     */
    public void countBlock(int n, int at) {
        long s = steps + n;
        if (s > budget) {
            throw overBudget(at);
        }
        steps = s;
    }

    private io.jbpf.core.vm.BudgetExceededException overBudget(int at) {
        int[] ops = current.code.op;
        int pc = at;
        for (long left = budget - steps; left > 0; left--) {
            pc += ops[pc] == 0x18 ? 2 : 1;
        }
        steps = budget + 1;
        return new io.jbpf.core.vm.BudgetExceededException(pc, budget);
    }

    /** r1–r5 as a local call left them, for JIT callers that read them after the call. */
    public long x1, x2, x3, x4, x5;

    /** The helper id a {@code callx} register names: values outside 0..2^31-1 name no helper (-1). */
    public static int helperId(long register) {
        return register >= 0 && register <= Integer.MAX_VALUE ? (int) register : -1;
    }

    /** Calls helper {@code id} for the instruction at {@code at}. */
    public long callHelper(int id, long r1, long r2, long r3, long r4, long r5, int at) {
        HelperFunction[] hs = settings.helpers;
        HelperFunction h = id >= 0 && id < hs.length ? hs[id] : null;
        if (h == null) {
            throw new MissingHelperException(at, id);
        }
        this.pc = at;
        return h.call(this, r1, r2, r3, r4, r5);
    }

    /** The value of a 64-bit load with a pseudo source. */
    public long pseudo(int src, int imm, int nextImm, int at) {
        switch (src) {
            case 1:
            case 5:
                return mapHandle(current.maps[imm]);
            case 2:
            case 6: {
                MemoryMap map = current.maps[imm];
                byte[] value = map.lookupForProgram(new byte[map.spec().keySize()], settings.cpu);
                if (value == null) {
                    throw new IllegalInstructionException(at, "direct value access to map '" + current.mapNames[imm]
                            + "' which has no element 0");
                }
                return Memory.address(memory.regionOf(value, "value of map '" + current.mapNames[imm] + "'",
                        readOnlyForPrograms(map)), 0) + nextImm;
            }
            case 4:
                return FUNC_TAG | (at + 1 + imm);
            default:
                throw new IllegalInstructionException(at, "64-bit load of a kernel symbol (BTF id "
                        + imm + ") cannot run in the VM");
        }
    }

    /** Whether programs may only read {@code map}'s values ({@code BPF_F_RDONLY_PROG}, as {@code .rodata}). */
    public static boolean readOnlyForPrograms(MemoryMap map) {
        return (map.spec().flags() & io.jbpf.core.map.MapFlags.RDONLY_PROG) != 0;
    }

    /** The handle a program holds for {@code map}. */
    public long mapHandle(MemoryMap map) {
        for (int i = 0; i < mapCount; i++) {
            if (mapsByHandle[i] == map) {
                return MAP_TAG | i;
            }
        }
        if (mapCount == mapsByHandle.length) {
            mapsByHandle = java.util.Arrays.copyOf(mapsByHandle, mapCount * 2);
        }
        mapsByHandle[mapCount] = map;
        return MAP_TAG | mapCount++;
    }

    @Override
    public MemoryMap map(long handle) {
        long index = handle ^ MAP_TAG;
        if ((handle & (0xffffL << 48)) != MAP_TAG || index >= mapCount) {
            throw new IllegalInstructionException(pc, "0x" + Long.toHexString(handle) + " is not a map");
        }
        return mapsByHandle[(int) index];
    }

    /** Runs the callback that a function pointer ({@code BPF_PSEUDO_FUNC}) names, in a new frame. */
    public long callback(long function, long r1, long r2, long r3, long r4, long r5) {
        if ((function & (0xffffL << 48)) != FUNC_TAG) {
            throw new IllegalInstructionException(pc, "0x" + Long.toHexString(function) + " is not a callback function");
        }
        int entry = (int) (function ^ FUNC_TAG);
        int at = pc;
        long fp = enterFrame(at);
        try {
            return current.executor().execute(this, entry, r1, r2, r3, r4, r5, fp);
        } finally {
            leaveFrame();
            pc = at;
        }
    }

    /** Stops the program: it returns {@code r0} once the engine sees the flag. */
    @Override
    public void stop(long r0) {
        unwinding = true;
        unwindValue = r0;
    }

    /** The trace lines so far. */
    public List<String> traceLines() {
        return trace;
    }

    /** A failure of the instruction that is running. */
    public VmException fault(String message) {
        return new IllegalInstructionException(pc, message);
    }

    @Override
    public byte[] read(long address, int length) {
        return memory.read(address, length, pc);
    }

    @Override
    public void write(long address, byte[] bytes) {
        memory.write(address, bytes, 0, bytes.length, pc);
    }

    @Override
    public long load(long address, int size) {
        return memory.load(address, size, pc);
    }

    @Override
    public void store(long address, int size, long value) {
        memory.store(address, size, value, pc);
    }

    @Override
    public long pointerTo(byte[] storage, String what) {
        return Memory.address(memory.regionOf(storage, what, false), 0);
    }

    @Override
    public int cpu() {
        return settings.cpu;
    }

    @Override
    public long nanos() {
        return settings.clock.getAsLong();
    }

    @Override
    public int random32() {
        synchronized (settings.random) {
            return settings.random.nextInt();
        }
    }

    @Override
    public void trace(String line) {
        if (trace.isEmpty()) {
            trace = new ArrayList<>();
        }
        trace.add(line);
    }

    @Override
    public int insnIndex() {
        return pc;
    }
}
