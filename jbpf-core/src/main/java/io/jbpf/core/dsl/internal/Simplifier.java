package io.jbpf.core.dsl.internal;

import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Match;
import io.jbpf.core.dsl.Prefix;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites leaves whose outcome is known from the field's range alone ({@code port >= 0},
 * {@code 10.0.0.0/0}) into presence tests or constants, and folds the constants away, so that
 * the compiled program has no branch the verifier would find unreachable.
 */
final class Simplifier {
    private Simplifier() {}

    static Match simplify(Match m) {
        if (m instanceof Match.And and) {
            return Match.And.of(map(and.terms()));
        }
        if (m instanceof Match.Or or) {
            return Match.Or.of(map(or.terms()));
        }
        if (m instanceof Match.Not not) {
            return Match.Not.of(simplify(not.term()));
        }
        if (m instanceof Match.Compare c) {
            long max = c.field().max();
            long v = c.value();
            switch (c.op()) {
                case LT:
                    return v == 0 ? Match.never() : v > max ? Match.present(c.field()) : m;
                case LE:
                    return v >= max ? Match.present(c.field()) : m;
                case GT:
                    return v >= max ? Match.never() : m;
                case GE:
                    return v == 0 ? Match.present(c.field()) : v > max ? Match.never() : m;
                default:
                    return m;
            }
        }
        if (m instanceof Match.Between b) {
            Field f = b.field();
            if (b.low() == 0 && b.high() >= f.max()) {
                return Match.present(f);
            }
            if (b.low() == b.high()) {
                return f.eq(b.low());
            }
            if (b.low() == 0) {
                return f.le(b.high());
            }
            if (b.high() >= f.max()) {
                return f.ge(b.low());
            }
            return m;
        }
        if (m instanceof Match.Masked k) {
            return k.mask() == 0 ? (k.value() == 0 ? Match.present(k.field()) : Match.never()) : m;
        }
        if (m instanceof Match.InCidrs c) {
            for (Prefix p : c.set().prefixes()) {
                if (p.length() == 0) {
                    return Match.present(c.field().layer());
                }
            }
            return m;
        }
        return m;
    }

    private static List<Match> map(List<Match> terms) {
        List<Match> out = new ArrayList<>();
        for (Match t : terms) {
            out.add(simplify(t));
        }
        return out;
    }
}
