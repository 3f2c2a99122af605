package io.jbpf.core.dsl.nat.internal;


import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.ProgramSpec;
import java.util.List;
import java.util.function.Consumer;

/**
 * Wraps the body of a NAT or load-balancer block either as a whole program or as a packet DSL
 * {@link CodeAction}. A body jumps to its {@code pass} label for packets it leaves alone, falls
 * through after rewriting, and (when it {@code drops}) jumps to {@code drop} to drop: the verifier
 * refuses unreachable code, so a body that never drops gets no drop block.
 */
public final class Blocks {
    private Blocks() {}

    /** A program of the body alone: pass and drop end it with the target's verdicts. */
    public static ProgramSpec program(String name, Target target, boolean drops, Consumer<Ipv4Code> body) {
        Assembler a = new Assembler();
        Ipv4Code c = new Ipv4Code(a, target);
        body.accept(c);
        a.label(c.l("pass"));
        c.exitPass();
        if (drops) {
            a.label(c.l("drop"));
            c.exitDrop();
        }
        return ProgramSpec.builder(name, target.programType()).instructions(a.build()).license("GPL").build();
    }

    /**
     * The body as a DSL action: it declares {@code maps}, takes its stack from the emitter, uses only
     * r0–r5 (r6 is the context), drops with the target's drop verdict, and otherwise falls through to the next
     * action with the headers parsed again (the packet may have changed).
     */
    public static CodeAction action(String hint, List<MapSpec> maps, boolean drops, Consumer<Ipv4Code> body) {
        return e -> {
            for (MapSpec m : maps) {
                e.declareMap(m);
            }
            int area = e.stack(Ipv4Code.STACK);
            Assembler a = e.asm();
            Ipv4Code c = new Ipv4Code(a, e.target(), area + Ipv4Code.STACK, e.label(hint) + "_", false);
            body.accept(c);
            if (drops) {
                a.ja(c.l("pass"));
                a.label(c.l("drop"));
                c.exitDrop();
            }
            a.label(c.l("pass"));
            e.reparse();
        };
    }
}
