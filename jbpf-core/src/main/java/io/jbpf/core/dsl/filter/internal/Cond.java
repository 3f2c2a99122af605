package io.jbpf.core.dsl.filter.internal;

import java.util.List;

/** The generator's boolean intermediate form: tests (statements then one conditional jump) under and/or/not. */
public sealed interface Cond {
    /** A classic statement (not a jump, not a return). */
    record Stmt(int code, int k) {
    }

    /** Runs {@code stmts}, then is true when the jump {@code jcode} (with its K or X source) is taken. */
    record Test(List<Stmt> stmts, int jcode, int k) implements Cond {
    }

    /** Both. */
    record All(Cond a, Cond b) implements Cond {
    }

    /** Either. */
    record Any(Cond a, Cond b) implements Cond {
    }

    /** Negation. */
    record Neg(Cond a) implements Cond {
    }

    /** A constant. */
    record Const(boolean value) implements Cond {
    }

    static Cond and(Cond a, Cond b) {
        return a == null ? b : b == null ? a : new All(a, b);
    }

    static Cond or(Cond a, Cond b) {
        return new Any(a, b);
    }

    static Cond not(Cond a) {
        return new Neg(a);
    }
}
