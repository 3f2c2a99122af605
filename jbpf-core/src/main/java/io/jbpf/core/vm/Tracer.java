package io.jbpf.core.vm;

import io.jbpf.core.insn.Insn;

/**
 * Watches a run instruction by instruction: installed with {@link Vm.Builder#tracer(Tracer)}, it
 * is called after every instruction the program executes, with the registers r0–r10 before and
 * after it. Tracing runs on the interpreter: a VM with a tracer interprets its programs whatever
 * its {@link Engine}; a VM without one pays nothing for it but a null check per instruction.
 *
 * <pre>{@code
 * Vm vm = Vm.builder().tracer((at, insn, before, after) -> System.out.println(at + ": " + insn)).build();
 * }</pre>
 *
 * <p>Called on the thread that runs the program; the instruction that stops a run with an
 * exception is not reported. Instructions of callbacks (e.g. {@code bpf_loop}) are reported too,
 * with the registers of the callback's frame.
 */
@FunctionalInterface
public interface Tracer {
    /**
     * One instruction has executed.
     *
     * @param index  its slot index in the program
     * @param insn   the instruction
     * @param before r0–r10 before it (a fresh array the tracer may keep)
     * @param after  r0–r10 after it (a fresh array the tracer may keep); for {@code exit} of the
     *               program, the registers at the exit
     */
    void step(int index, Insn insn, long[] before, long[] after);
}
