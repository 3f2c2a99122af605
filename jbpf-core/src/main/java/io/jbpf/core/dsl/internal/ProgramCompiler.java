package io.jbpf.core.dsl.internal;

import io.jbpf.core.dsl.Action;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.dsl.MapEntry;
import io.jbpf.core.dsl.Match;
import io.jbpf.core.dsl.Rule;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.ProgramSpec;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles the rules of a {@code PacketProgram}: {@code r6 = ctx}, the parser for the headers
 * the rules read, then each rule as branches to its actions or to the next rule, then the default
 * actions. Rules that can never match are left out, and so is what follows a rule that always ends
 * the program (the verifier refuses unreachable instructions).
 */
public final class ProgramCompiler {
    /** What compiling gives: the program, its maps and their initial entries. */
    public record Result(ProgramSpec spec, List<MapSpec> maps, List<MapEntry> entries) {}

    private final String name;
    private final Target target;
    private final List<Rule> rules;
    private final List<Action> otherwise;
    private final List<MapSpec> extraMaps;
    private final int ipv6Headers;

    public ProgramCompiler(String name, Target target, List<Rule> rules, List<Action> otherwise,
            List<MapSpec> extraMaps, int ipv6Headers) {
        this.name = name;
        this.target = target;
        this.rules = List.copyOf(rules);
        this.otherwise = List.copyOf(otherwise);
        this.extraMaps = List.copyOf(extraMaps);
        this.ipv6Headers = ipv6Headers;
    }

    public Result compile() {
        // the rules that get code: not those that never match, none after one that always ends the program
        List<Rule> emitted = new ArrayList<>();
        boolean ended = false;
        for (Rule r : rules) {
            Rule s = new Rule(Simplifier.simplify(r.match()), r.actions());
            if (s.match() == Match.never()) {
                continue;
            }
            emitted.add(s);
            if (s.match() == Match.always() && s.ends()) {
                ended = true;
                break;
            }
        }
        List<Action> last = new ArrayList<>();
        if (!ended) {
            last.addAll(otherwise);
            if (last.isEmpty() || !last.get(last.size() - 1).isVerdict()) {
                last.add(Action.Pass.INSTANCE);
            }
        }
        Set<Layer> layers = EnumSet.noneOf(Layer.class);
        int sampleBytes = 0;
        List<Action> all = new ArrayList<>(last);
        for (Rule r : emitted) {
            collect(r.match(), layers);
            all.addAll(r.actions());
        }
        for (Action a : all) {
            if (a instanceof Action.Code c) {
                layers.addAll(c.action().layers());
            } else if (a instanceof Action.CountBy c) {
                layers.add(c.layer());
            } else if (a instanceof Action.Sample s) {
                sampleBytes = Math.max(sampleBytes, s.bytes());
            }
        }
        Gen g = new Gen(target, layers, ipv6Headers);
        for (MapSpec m : extraMaps) {
            g.declareMap(m);
        }
        MatchEmitter matches = new MatchEmitter(g);
        ActionEmitter actions = new ActionEmitter(g, sampleBytes);
        g.asm.mov(Reg.R6, Reg.R1);
        new Parser(g).emit();
        for (Rule r : emitted) {
            String next = g.label("rule_next");
            matches.jumpIfFalse(r.match(), next);
            for (Action a : r.actions()) {
                actions.emit(a);
            }
            if (!(r.match() == Match.always() && r.ends())) {
                g.asm.label(next);
            }
        }
        for (Action a : last) {
            actions.emit(a);
        }
        ProgramSpec.Builder spec = ProgramSpec.builder(name, target.programType()).instructions(g.asm.build());
        target.expectedAttachType().ifPresent(spec::expectedAttachType);
        return new Result(spec.build(), g.maps(), g.entries());
    }

    private static void collect(Match m, Set<Layer> out) {
        if (m instanceof Match.And and) {
            and.terms().forEach(t -> collect(t, out));
        } else if (m instanceof Match.Or or) {
            or.terms().forEach(t -> collect(t, out));
        } else if (m instanceof Match.Not not) {
            collect(not.term(), out);
        } else if (m instanceof Match.Present p) {
            out.add(p.layer());
        } else if (m instanceof Match.Compare c) {
            add(c.field().layer(), out);
        } else if (m instanceof Match.Between b) {
            add(b.field().layer(), out);
        } else if (m instanceof Match.OneOf o) {
            add(o.field().layer(), out);
        } else if (m instanceof Match.Masked k) {
            add(k.field().layer(), out);
        } else if (m instanceof Match.InCidrs c) {
            out.add(c.field().layer());
        } else if (m instanceof Match.Code c) {
            out.addAll(c.predicate().layers());
        }
    }

    private static void add(Layer l, Set<Layer> out) {
        if (l != null) {
            out.add(l);
        }
    }
}
