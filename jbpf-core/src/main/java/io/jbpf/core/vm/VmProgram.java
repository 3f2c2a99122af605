package io.jbpf.core.vm;

import io.jbpf.core.vm.internal.ContextState;
import io.jbpf.core.vm.internal.Contexts;
import io.jbpf.core.vm.internal.Image;
import io.jbpf.core.vm.internal.Interpreter;
import io.jbpf.core.vm.internal.Machine;

/**
 * A program loaded into a {@link Vm}, ready to run any number of times. Put it into a program
 * array ({@code MemoryMap.setTarget}) to make it a tail-call target.
 */
public final class VmProgram {
    private final Vm vm;
    private final Image image;
    /** Each thread reuses one machine (its memory, stack and frame) from run to run. */
    private final ThreadLocal<Machine> machines = new ThreadLocal<>();

    VmProgram(Vm vm, Image image) {
        this.vm = vm;
        this.image = image;
    }

    /** The program's name. */
    public String name() {
        return image.name;
    }

    /** Its length in 8-byte slots. */
    public int instructionCount() {
        return image.code.length;
    }

    /**
     * The engine it runs on: the VM's, except that a JIT VM interprets a program that traces (see
     * {@link Vm.Builder#tracer}) or that the JVM cannot take as one class (a function over 64 KB of
     * bytecode), with the same results.
     */
    public Engine engine() {
        return image.executor() instanceof Interpreter ? Engine.INTERPRETER : Engine.JIT;
    }

    Image image() {
        return image;
    }

    /**
     * Runs the program once over {@code context}.
     *
     * @throws VmException when the program does something the kernel would not allow
     */
    public RunResult run(Context context) {
        Machine m = machines.get();
        if (m == null || m.busy) {
            m = new Machine(vm.settings(), image);
            if (machines.get() == null) {
                machines.set(m);
            }
        } else {
            m.reset(image);
        }
        m.busy = true;
        try {
            return run(m, context);
        } finally {
            m.busy = false;
        }
    }

    private RunResult run(Machine m, Context context) {
        ContextState state = Contexts.bind(context, m);
        m.context = state;
        long r1 = state.r1();
        long r2 = state.r2();
        Image current = image;
        long r0;
        for (;;) {
            m.current = current;
            r0 = current.executor().execute(m, 0, r1, r2, 0, 0, 0, m.framePointer());
            if (m.tailTarget != null) {
                current = m.tailTarget;
                m.tailTarget = null;
                m.unwinding = false;
                m.resetFrames();
                r2 = 0;
                continue;
            }
            if (m.unwinding) {
                r0 = m.unwindValue;
            }
            break;
        }
        if (!m.reserved.isEmpty()) {
            throw new IllegalInstructionException(-1, "the program ended holding " + m.reserved.size()
                    + " ring buffer record(s) it neither submitted nor discarded");
        }
        return new RunResult(r0, state.data(), state.contextOut(), state.redirectIfindex, state.redirectFlags,
                m.traceLines(), m.steps);
    }

    @Override
    public String toString() {
        return "VmProgram[" + image.name + ", " + image.code.length + " insns, " + engine() + "]";
    }
}
