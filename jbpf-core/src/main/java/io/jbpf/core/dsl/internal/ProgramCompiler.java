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
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.List;
import java.util.Set;

/**
 * Compiles the rules of a {@code PacketProgram}: {@code r6 = ctx}, then each rule as branches to
 * its actions or to the next rule, then the default actions. The headers are found either where a
 * test first needs them ({@link LazyParser}: each rule looks for its own, R9 holds
 * {@code data_end} from the start) or all by a parser at the start ({@link Parser}); see the
 * constructor for which. Rules that can never match are left out, and so is what follows a rule
 * that always ends the program (the verifier refuses unreachable instructions).
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
    private final boolean eager;

    /** The most rules that read headers for which the parser is lazy (each rule looks for its headers anew). */
    static final int LAZY_RULES = 2;

    public ProgramCompiler(String name, Target target, List<Rule> rules, List<Action> otherwise,
            List<MapSpec> extraMaps, int ipv6Headers) {
        this(name, target, rules, otherwise, extraMaps, ipv6Headers, false);
    }

    /**
     * {@code eager}: parse every header the program reads at its start, whatever the program is.
     * Otherwise a program for a direct-access target whose matches and actions are all the DSL's
     * own (no code fragments) and at most {@value #LAZY_RULES} of whose rules read headers parses
     * them where its tests need them ({@link LazyParser}), unless that makes it more than
     * {@value #LAZY_SIZE_FACTOR} times as long; others are parsed eagerly.
     */
    public ProgramCompiler(String name, Target target, List<Rule> rules, List<Action> otherwise,
            List<MapSpec> extraMaps, int ipv6Headers, boolean eager) {
        this.name = name;
        this.target = target;
        this.rules = List.copyOf(rules);
        this.otherwise = List.copyOf(otherwise);
        this.extraMaps = List.copyOf(extraMaps);
        this.ipv6Headers = ipv6Headers;
        this.eager = eager;
    }

    /**
     * How much longer than the up-front parse a lazily parsed program may be: an {@code or} of
     * tests on different headers looks for each anew, and past this the program is parsed up front.
     */
    static final int LAZY_SIZE_FACTOR = 4;

    public Result compile() {
        Result lazy = eager ? null : compile(true);
        if (lazy == null) {
            return compile(false);
        }
        Result upFront = compile(false);
        return lazy.spec().instructionCount() > LAZY_SIZE_FACTOR * upFront.spec().instructionCount() ? upFront : lazy;
    }

    /** The program, parsed lazily when {@code lazy} and it can be; null when it was asked to be lazy and cannot. */
    private Result compile(boolean lazy) {
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
        Map<Layer, Integer> uses = lazy ? lazyUses(emitted, last) : null;
        if (lazy && uses == null) {
            return null;
        }
        Gen g = new Gen(target, layers, ipv6Headers, uses);
        for (MapSpec m : extraMaps) {
            g.declareMap(m);
        }
        MatchEmitter matches = new MatchEmitter(g);
        ActionEmitter actions = new ActionEmitter(g, sampleBytes);
        g.asm.mov(Reg.R6, Reg.R1);
        if (g.lazy == null) {
            new Parser(g).emit();
        } else if (!layers.isEmpty()) {
            g.lazy.loadEnd();
        }
        for (Rule r : emitted) {
            if (g.lazy != null) {
                g.lazy.forget(); // what an earlier rule found is not known on every way here
            }
            String next = g.label("rule_next");
            matches.jumpIfFalse(r.match(), next);
            for (Action a : r.actions()) {
                actions.emit(a);
            }
            if (!(r.match() == Match.always() && r.ends())) {
                g.asm.label(next);
            }
        }
        if (g.lazy != null) {
            g.lazy.forget();
        }
        for (Action a : last) {
            actions.emit(a);
        }
        ProgramSpec.Builder spec = ProgramSpec.builder(name, target.programType()).instructions(g.asm.build());
        target.expectedAttachType().ifPresent(spec::expectedAttachType);
        return new Result(spec.build(), g.maps(), g.entries());
    }

    /**
     * For a lazy parser, how many reads of each header the program has; null when it parses
     * eagerly (see the constructor).
     */
    private Map<Layer, Integer> lazyUses(List<Rule> emitted, List<Action> last) {
        if (!target.directPacketAccess()) {
            return null;
        }
        Map<Layer, Integer> uses = new EnumMap<>(Layer.class);
        int reading = 0;
        List<List<Action>> actionLists = new ArrayList<>();
        for (Rule r : emitted) {
            int before = total(uses);
            if (!count(r.match(), uses)) {
                return null;
            }
            boolean reads = total(uses) > before;
            for (Action a : r.actions()) {
                if (a instanceof Action.Code) {
                    return null;
                }
                if (a instanceof Action.CountBy c) {
                    uses.merge(c.layer(), 1, Integer::sum);
                    reads = true;
                }
            }
            if (reads) {
                reading++;
            }
        }
        for (Action a : last) {
            if (a instanceof Action.Code) {
                return null;
            }
            if (a instanceof Action.CountBy c) {
                uses.merge(c.layer(), 1, Integer::sum);
                reading++;
            }
        }
        return reading <= LAZY_RULES ? uses : null;
    }

    private static int total(Map<Layer, Integer> uses) {
        return uses.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Counts the header reads of {@code m}'s leaves; false when it has code. */
    private static boolean count(Match m, Map<Layer, Integer> uses) {
        if (m instanceof Match.And and) {
            return and.terms().stream().allMatch(t -> count(t, uses));
        } else if (m instanceof Match.Or or) {
            return or.terms().stream().allMatch(t -> count(t, uses));
        } else if (m instanceof Match.Not not) {
            return count(not.term(), uses);
        } else if (m instanceof Match.Code) {
            return false;
        }
        Layer l = MatchEmitter.layerOf(m);
        if (l != null) {
            uses.merge(l, 1, Integer::sum);
        }
        return true;
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
