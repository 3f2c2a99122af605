package io.jbpf.core.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A condition on a packet: an immutable expression tree. Build leaves from the fields of the
 * headers ({@code Dsl.tcp().dstPort().between(80, 90)}) and combine them with {@link #and},
 * {@link #or} and {@link #not}; the compiler turns the tree into branches that jump straight to
 * the rule's actions or to the next rule (short-circuit, no booleans in registers).
 *
 * <p>A leaf on a field of a header the packet does not have is false; {@code not} of it is true.
 */
public sealed interface Match {

    /** {@code this && other}. */
    default Match and(Match other) {
        return And.of(List.of(this, other));
    }

    /** {@code this || other}. */
    default Match or(Match other) {
        return Or.of(List.of(this, other));
    }

    /** {@code !this}. */
    default Match not() {
        return Not.of(this);
    }

    /** Every packet. */
    static Match always() {
        return Const.TRUE;
    }

    /** No packet. */
    static Match never() {
        return Const.FALSE;
    }

    /** The packet has {@code layer}. */
    static Match present(Layer layer) {
        return new Present(Objects.requireNonNull(layer, "layer"));
    }

    /** The packet has the header of {@code field} (always true for packet-wide fields). */
    static Match present(Field field) {
        return field.layer() == null ? Const.TRUE : new Present(field.layer());
    }

    /** A predicate that emits its own instructions (see {@link CodePredicate}). */
    static Match code(CodePredicate predicate) {
        return new Code(predicate);
    }

    /** The comparison operators of {@link Compare}. */
    enum Op { EQ, NE, LT, LE, GT, GE }

    /** A constant. */
    enum Const implements Match { TRUE, FALSE }

    /** All of {@code terms}, evaluated left to right. */
    record And(List<Match> terms) implements Match {
        public And {
            terms = List.copyOf(terms);
        }

        /** The conjunction, flattening nested ones and folding constants. */
        public static Match of(List<Match> terms) {
            List<Match> out = new ArrayList<>();
            for (Match m : terms) {
                Objects.requireNonNull(m, "term");
                if (m == Const.FALSE) {
                    return Const.FALSE;
                }
                if (m instanceof And a) {
                    out.addAll(a.terms);
                } else if (m != Const.TRUE) {
                    out.add(m);
                }
            }
            return out.isEmpty() ? Const.TRUE : out.size() == 1 ? out.get(0) : new And(out);
        }
    }

    /** Any of {@code terms}, evaluated left to right. */
    record Or(List<Match> terms) implements Match {
        public Or {
            terms = List.copyOf(terms);
        }

        /** The disjunction, flattening nested ones and folding constants. */
        public static Match of(List<Match> terms) {
            List<Match> out = new ArrayList<>();
            for (Match m : terms) {
                Objects.requireNonNull(m, "term");
                if (m == Const.TRUE) {
                    return Const.TRUE;
                }
                if (m instanceof Or o) {
                    out.addAll(o.terms);
                } else if (m != Const.FALSE) {
                    out.add(m);
                }
            }
            return out.isEmpty() ? Const.FALSE : out.size() == 1 ? out.get(0) : new Or(out);
        }
    }

    /** The negation of {@code term}. */
    record Not(Match term) implements Match {
        public Not {
            Objects.requireNonNull(term, "term");
        }

        /** The negation, folding constants and double negation. */
        public static Match of(Match term) {
            if (term == Const.TRUE) {
                return Const.FALSE;
            }
            if (term == Const.FALSE) {
                return Const.TRUE;
            }
            return term instanceof Not n ? n.term : new Not(term);
        }
    }

    /** The packet has {@code layer}. */
    record Present(Layer layer) implements Match {
        public Present {
            Objects.requireNonNull(layer, "layer");
        }
    }

    /** {@code field op value}, unsigned. */
    record Compare(Field field, Op op, long value) implements Match {
        public Compare {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(op, "op");
        }
    }

    /** {@code low <= field <= high}, unsigned. */
    record Between(Field field, long low, long high) implements Match {
        public Between {
            Objects.requireNonNull(field, "field");
        }
    }

    /** {@code field} equals one of {@code values}. */
    record OneOf(Field field, List<Long> values) implements Match {
        public OneOf {
            Objects.requireNonNull(field, "field");
            values = List.copyOf(values);
        }
    }

    /** {@code (field & mask) == value}. */
    record Masked(Field field, long mask, long value) implements Match {
        public Masked {
            Objects.requireNonNull(field, "field");
        }
    }

    /** The address in {@code field} is in {@code set}. */
    record InCidrs(AddressField field, Cidrs set) implements Match {
        public InCidrs {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(set, "set");
        }
    }

    /** A predicate that emits its own instructions. */
    record Code(CodePredicate predicate) implements Match {
        public Code {
            Objects.requireNonNull(predicate, "predicate");
        }
    }
}
