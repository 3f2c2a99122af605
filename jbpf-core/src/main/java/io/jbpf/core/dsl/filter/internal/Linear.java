package io.jbpf.core.dsl.filter.internal;

import static io.jbpf.core.dsl.filter.internal.Bpf.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Lays a {@link Cond} out as straight-line classic code with absolute jump targets (always forward):
 * {@code and}/{@code or}/{@code not} become jump targets, never computed values.
 */
public final class Linear {
    /** One instruction; for a conditional jump {@code jt}/{@code jf} are absolute indices, for {@code ja} {@code jt}. */
    public static final class Ins {
        public int code;
        public int k;
        public int jt;
        public int jf;

        Ins(int code, int k, int jt, int jf) {
            this.code = code;
            this.k = k;
            this.jt = jt;
            this.jf = jf;
        }

        boolean isCond() {
            return cls(code) == JMP && (code & 0xf0) != JA;
        }

        boolean isJa() {
            return cls(code) == JMP && (code & 0xf0) == JA;
        }

        boolean isRet() {
            return cls(code) == RET;
        }

        Ins copy() {
            return new Ins(code, k, jt, jf);
        }
    }

    /** A {@code ja} to absolute index {@code target}. */
    public static Ins ja(int target) {
        return new Ins(JMP | JA, 0, target, 0);
    }

    private static final class Label {
        int pos = -1;
    }

    private final List<Ins> out = new ArrayList<>();
    private final List<Label[]> targets = new ArrayList<>();

    private Linear() {
    }

    /** The code for {@code c}, ending in {@code ret #accept} and {@code ret #0}. */
    public static List<Ins> layout(Cond c, int accept) {
        Linear l = new Linear();
        Label t = new Label();
        Label f = new Label();
        l.gen(c, t, f);
        t.pos = l.out.size();
        l.emit(new Ins(RET | Bpf.K, accept, 0, 0), null, null);
        f.pos = l.out.size();
        l.emit(new Ins(RET | Bpf.K, 0, 0, 0), null, null);
        for (int i = 0; i < l.out.size(); i++) {
            Label[] tg = l.targets.get(i);
            if (tg != null) {
                l.out.get(i).jt = tg[0].pos;
                if (tg[1] != null) {
                    l.out.get(i).jf = tg[1].pos;
                }
            }
        }
        return l.out;
    }

    private void emit(Ins i, Label t, Label f) {
        out.add(i);
        targets.add(t == null ? null : new Label[] {t, f});
    }

    private void gen(Cond c, Label t, Label f) {
        if (c instanceof Cond.Test test) {
            for (Cond.Stmt s : test.stmts()) {
                emit(new Ins(s.code(), s.k(), 0, 0), null, null);
            }
            emit(new Ins(test.jcode(), test.k(), 0, 0), t, f);
        } else if (c instanceof Cond.All a) {
            Label m = new Label();
            gen(a.a(), m, f);
            m.pos = out.size();
            gen(a.b(), t, f);
        } else if (c instanceof Cond.Any o) {
            Label m = new Label();
            gen(o.a(), t, m);
            m.pos = out.size();
            gen(o.b(), t, f);
        } else if (c instanceof Cond.Neg n) {
            gen(n.a(), f, t);
        } else {
            emit(new Ins(JMP | JA, 0, 0, 0), ((Cond.Const) c).value() ? t : f, null);
        }
    }
}
