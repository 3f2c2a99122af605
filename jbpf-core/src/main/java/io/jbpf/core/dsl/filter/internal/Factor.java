package io.jbpf.core.dsl.filter.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Factors common tests out of alternatives: {@code (P and X) or (P and Y)} becomes
 * {@code P and (X or Y)}. Tests only read the packet, so P gives the same answer (or fails on the
 * same short packet) both times and the meaning is unchanged. To bring two such alternatives
 * together, an alternative may move ahead of others whose first test compares the same packet
 * bytes with a different constant (say Ethernet type 0x800 against 0x86dd): at most one of those
 * can hold, and the bytes they read are the same, so their order does not matter either.
 */
public final class Factor {
    private Factor() {
    }

    /** {@code c} with common first tests of alternatives factored out. */
    public static Cond apply(Cond c) {
        if (c instanceof Cond.All a) {
            return Cond.and(apply(a.a()), apply(a.b()));
        }
        if (c instanceof Cond.Neg n) {
            return Cond.not(apply(n.a()));
        }
        if (!(c instanceof Cond.Any)) {
            return c;
        }
        List<Cond> alts = new ArrayList<>();
        flattenOr(c, alts);
        boolean merged = true;
        while (merged) {
            merged = false;
            outer:
            for (int i = 0; i < alts.size(); i++) {
                Cond gi = first(alts.get(i));
                for (int j = i + 1; j < alts.size(); j++) {
                    Cond gj = first(alts.get(j));
                    if (gi != null && gi.equals(gj)) {
                        Cond rest = Cond.or(rest(alts.get(i)), rest(alts.get(j)));
                        alts.set(i, Cond.and(gi, rest));
                        alts.remove(j);
                        merged = true;
                        break outer;
                    }
                    // may alternative j+1.. move ahead of j? only past an exclusive first test
                    if (!exclusive(gj, gi)) {
                        break;
                    }
                }
            }
        }
        Cond out = null;
        for (Cond alt : alts) {
            Cond s = apply(alt);
            out = out == null ? s : Cond.or(out, s);
        }
        return out;
    }

    private static void flattenOr(Cond c, List<Cond> out) {
        if (c instanceof Cond.Any o) {
            flattenOr(o.a(), out);
            flattenOr(o.b(), out);
        } else {
            out.add(c);
        }
    }

    /** The first conjunct of an alternative that has a rest, or null. */
    private static Cond first(Cond c) {
        if (c instanceof Cond.All a) {
            Cond f = first(a.a());
            return f == null ? a.a() : f;
        }
        return null;
    }

    /** The alternative without its first conjunct. */
    private static Cond rest(Cond c) {
        Cond.All a = (Cond.All) c;
        if (first(a.a()) == null) {
            return a.b();
        }
        return Cond.and(rest(a.a()), a.b());
    }

    /**
     * True if {@code a} and {@code b} are equality tests of the same single load with different
     * constants: at most one holds, and both fail alike on a short packet.
     */
    private static boolean exclusive(Cond a, Cond b) {
        if (a instanceof Cond.Any || b instanceof Cond.Any) {
            // an alternative of such tests: every pair must be exclusive
            List<Cond> as = new ArrayList<>();
            List<Cond> bs = new ArrayList<>();
            flattenOr(a, as);
            flattenOr(b, bs);
            for (Cond x : as) {
                for (Cond y : bs) {
                    if (x instanceof Cond.Any || y instanceof Cond.Any || !exclusive(x, y)) {
                        return false;
                    }
                }
            }
            return true;
        }
        if (!(a instanceof Cond.Test ta) || !(b instanceof Cond.Test tb)) {
            return false;
        }
        return ta.stmts().size() == 1 && ta.stmts().equals(tb.stmts()) && ta.jcode() == tb.jcode()
                && ta.jcode() == (Bpf.JMP | Bpf.JEQ | Bpf.K) && (ta.stmts().get(0).code() & 0xe0) == Bpf.ABS
                && ta.k() != tb.k();
    }
}
