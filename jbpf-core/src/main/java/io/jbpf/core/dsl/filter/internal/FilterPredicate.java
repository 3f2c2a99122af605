package io.jbpf.core.dsl.filter.internal;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.CodePredicate;
import io.jbpf.core.dsl.DslException;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.cbpf.CbpfConverter;
import io.jbpf.core.dsl.cbpf.CbpfProgram;
import io.jbpf.core.insn.Reg;

/**
 * A classic filter as a DSL predicate: sets up the converter fragment's registers from the DSL's
 * ({@code r1} = context from {@code R6}, {@code r2}/{@code r3} = data/data_end), gives it 64 bytes
 * of the program's stack for M[] and lets it jump to the DSL's labels. The fragment keeps
 * R6-R9, as the DSL's contract wants.
 *
 * <p>When a filter can only match (an empty expression) or never match, one of the two labels
 * would be unreachable and the verifier refuses unreachable code; a branch the verifier knows is
 * never taken ({@code r0 = 0; if r0 != 0}) leads to that label so that the code stays valid.
 */
public final class FilterPredicate implements CodePredicate {
    private final CbpfProgram classic;
    private final String description;

    public FilterPredicate(CbpfProgram classic, String description) {
        this.classic = classic;
        this.description = description;
    }

    @Override
    public void emit(Emitter emitter, String onMatch, String onNoMatch) {
        CbpfConverter.Hook hook = hook(emitter.target());
        // a dry run to learn which labels the filter reaches
        CbpfConverter.Exits exits = CbpfConverter.emitFragment(new Assembler(), classic, hook, "dry_", "m", "n",
                CbpfConverter.DEFAULT_SCRATCH_OFFSET);
        Assembler a = emitter.asm();
        int scratch = emitter.stack(64);
        String prefix = emitter.label("pcap") + "_";
        a.mov(Reg.R1, emitter.context());
        emitter.loadPacketStart(Reg.R2);
        emitter.loadPacketEnd(Reg.R3);
        if (!exits.reachesMatch() || !exits.reachesNoMatch()) {
            a.mov(Reg.R0, 0);
            a.jne(Reg.R0, 0, exits.reachesMatch() ? onNoMatch : onMatch);
        }
        CbpfConverter.emitFragment(a, classic, hook, prefix, onMatch, onNoMatch, scratch);
    }

    private CbpfConverter.Hook hook(Target target) {
        switch (target) {
            case XDP:
                return CbpfConverter.Hook.XDP;
            case TC_INGRESS:
            case TC_EGRESS:
                return CbpfConverter.Hook.TC;
            default:
                throw new DslException("the pcap filter '" + description + "' reads the packet directly and cannot be"
                        + " used in a " + target + " program (use XDP or TC)");
        }
    }

    @Override
    public String toString() {
        return "pcap filter '" + description + "'";
    }
}
