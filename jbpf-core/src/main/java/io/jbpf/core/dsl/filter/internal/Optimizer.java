package io.jbpf.core.dsl.filter.internal;

import static io.jbpf.core.dsl.filter.internal.Bpf.*;

import io.jbpf.core.dsl.filter.internal.Linear.Ins;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Simple, meaning-preserving clean-ups of straight-line classic code: jump threading (a branch whose
 * outcome is already known from an earlier test of the same packet bytes goes straight to where it
 * would end), removal of loads whose value is already in A or X, of loads whose value nobody reads,
 * of unreachable code and of jumps to the next instruction, and libpcap's pull-up of tests in
 * or/and chains ({@link Pullup}). Like libpcap's optimizer (and so like tcpdump) it may thereby drop
 * or reorder a load that would have read past the end of a short packet: a test whose outcome does
 * not matter does not reject such a packet. The steps follow libpcap's order (branches move until
 * nothing changes, then identical tails are shared, and nothing is decided after that) so that the
 * loads both keep are the same as far as we could make them.
 */
public final class Optimizer {
    private record Fact(int op, long k, boolean outcome) {
    }

    /** What is known on entry to an instruction: the contents of A and X (as keys) and facts per key. */
    private static final class State {
        String a;
        String x;
        Map<String, Set<Fact>> facts = new HashMap<>();

        State copy() {
            State s = new State();
            s.a = a;
            s.x = x;
            for (Map.Entry<String, Set<Fact>> e : facts.entrySet()) {
                s.facts.put(e.getKey(), new HashSet<>(e.getValue()));
            }
            return s;
        }

        void meet(State o) {
            if (!Objects.equals(a, o.a)) {
                a = null;
            }
            if (!Objects.equals(x, o.x)) {
                x = null;
            }
            facts.keySet().retainAll(o.facts.keySet());
            for (Map.Entry<String, Set<Fact>> e : facts.entrySet()) {
                e.getValue().retainAll(o.facts.get(e.getKey()));
            }
            facts.values().removeIf(Set::isEmpty);
        }
    }

    private Optimizer() {
    }

    /** Optimizes {@code code} in place and returns it. */
    public static List<Ins> optimize(List<Ins> code) {
        List<Ins> rootLoads = new ArrayList<>();
        for (Ins in : code) {
            if (cls(in.code) != LD && cls(in.code) != LDX) {
                break;
            }
            rootLoads.add(in.copy());
        }
        Ins first = code.get(0).copy();
        // as libpcap: branches move (threading, pull-ups) until nothing changes; identical tails
        // are shared only then, and nothing is decided after that (libpcap keeps a test whose two
        // edges became one there, and the load it makes)
        for (int round = 0; round < 200; round++) {
            boolean changed = thread(code);
            changed |= compact(code, true);
            if (!changed && !Pullup.pullOne(code)) {
                break;
            }
        }
        for (int round = 0; round < 50; round++) {
            boolean changed = mergeTails(code);
            changed |= compact(code, false);
            if (!changed) {
                break;
            }
        }
        keepRootLoads(code, rootLoads, first);
        return code;
    }

    /**
     * libpcap's optimizer keeps the statements of the first block when it finds that block's test
     * decided (its opt_root), so tcpdump still runs, say, the Ethernet type load of a test it threw
     * away, and rejects a frame too short for it. When our first test went away too, its loads are
     * put back in front, for the same verdict on such frames; a program reduced to one return has
     * none in libpcap either.
     */
    private static void keepRootLoads(List<Ins> code, List<Ins> rootLoads, Ins first) {
        Ins now = code.get(0);
        boolean same = now.code == first.code && now.k == first.k;
        if (same || rootLoads.isEmpty() || code.size() == 1 || (liveness(code)[0] & 3) != 0) {
            return;
        }
        int shift = rootLoads.size();
        for (Ins in : code) {
            if (in.isCond() || in.isJa()) {
                in.jt += shift;
                if (in.isCond()) {
                    in.jf += shift;
                }
            }
        }
        code.addAll(0, rootLoads);
    }

    /** The key of what a load into A reads, given X's key; null if it is not a pure function of the packet. */
    private static String loadKey(Ins in, String x) {
        int mode = in.code & 0xe0;
        switch (mode) {
            case ABS:
                return "p" + bytes(in.code) + "@" + in.k;
            case IND:
                return x == null ? null : "p" + bytes(in.code) + "@" + in.k + "+" + x;
            case LEN:
                return "len";
            case IMM:
                return "#" + (in.k & 0xffffffffL);
            default:
                return null;
        }
    }

    /**
     * The key of A after an arithmetic instruction: like libpcap's value numbering, the same
     * operation on the same values gives the same value (so {@code ld [26]; and #mask} twice is one
     * value, and a test of it is decided the second time).
     */
    private static String aluKey(Ins in, String a, String x) {
        if (a == null) {
            return null;
        }
        int op = in.code & 0xf0;
        if (op == NEG) {
            return "-(" + a + ")";
        }
        if ((in.code & X) != 0) {
            return x == null ? null : "(" + a + ")" + op + "(" + x + ")";
        }
        return "(" + a + ")" + op + ":" + (in.k & 0xffffffffL);
    }

    private static String ldxKey(Ins in) {
        int mode = in.code & 0xe0;
        switch (mode) {
            case MSH:
                return "msh@" + in.k;
            case IMM:
                return "#" + (in.k & 0xffffffffL);
            case LEN:
                return "len";
            default:
                return null;
        }
    }

    private static void transfer(Ins in, State s) {
        switch (cls(in.code)) {
            case LD:
                s.a = loadKey(in, s.x);
                break;
            case LDX:
                s.x = ldxKey(in);
                break;
            case ALU:
                s.a = aluKey(in, s.a, s.x);
                break;
            case MISC:
                if ((in.code & 0xf8) == TXA) {
                    s.a = s.x;
                } else {
                    s.x = s.a;
                }
                break;
            default:
                break;
        }
    }

    private static void addFact(State s, Ins in, boolean outcome) {
        if (s.a != null && (in.code & X) == 0) {
            s.facts.computeIfAbsent(s.a, k -> new HashSet<>()).add(new Fact(in.code & 0xf0, in.k & 0xffffffffL, outcome));
        }
    }

    /** The key of what A holds on entry to each instruction (null where unknown or unreachable). */
    static String[] accumulatorKeys(List<Ins> code) {
        State[] in = analyze(code);
        String[] keys = new String[code.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = in[i] == null ? null : in[i].a;
        }
        return keys;
    }

    private static State[] analyze(List<Ins> code) {
        State[] in = new State[code.size()];
        in[0] = new State();
        for (int i = 0; i < code.size(); i++) {
            if (in[i] == null) {
                continue;
            }
            Ins ins = code.get(i);
            if (ins.isRet()) {
                continue;
            }
            if (ins.isCond()) {
                State t = in[i].copy();
                addFact(t, ins, true);
                flow(in, ins.jt, t);
                State f = in[i].copy();
                addFact(f, ins, false);
                flow(in, ins.jf, f);
            } else if (ins.isJa()) {
                flow(in, ins.jt, in[i].copy());
            } else {
                State s = in[i].copy();
                transfer(ins, s);
                flow(in, i + 1, s);
            }
        }
        return in;
    }

    private static void flow(State[] in, int target, State s) {
        if (in[target] == null) {
            in[target] = s;
        } else {
            in[target].meet(s);
        }
    }

    /** Whether A (bit 1) and X (bit 2) are read before being written, from each instruction on. */
    static int[] liveness(List<Ins> code) {
        int[] live = new int[code.size()];
        for (int i = code.size() - 1; i >= 0; i--) {
            Ins in = code.get(i);
            int out;
            int use = 0;
            int def = 0;
            if (in.isRet()) {
                live[i] = (in.code & 0x18) == A ? 1 : 0;
                continue;
            } else if (in.isCond()) {
                out = live[in.jt] | live[in.jf];
                use = 1 | ((in.code & X) != 0 ? 2 : 0);
            } else if (in.isJa()) {
                out = live[in.jt];
            } else {
                out = live[i + 1];
                switch (cls(in.code)) {
                    case LD:
                        def = 1;
                        use = (in.code & 0xe0) == IND ? 2 : 0;
                        break;
                    case LDX:
                        def = 2;
                        break;
                    case ST:
                        use = 1;
                        break;
                    case STX:
                        use = 2;
                        break;
                    case ALU:
                        use = 1 | ((in.code & X) != 0 && (in.code & 0xf0) != NEG ? 2 : 0);
                        def = 1;
                        break;
                    default:
                        if ((in.code & 0xf8) == TXA) {
                            use = 2;
                            def = 1;
                        } else {
                            use = 1;
                            def = 2;
                        }
                        break;
                }
            }
            live[i] = use | (out & ~def);
        }
        return live;
    }

    /** The outcome of testing a value with {@code op k} given facts about it, or null if unknown. */
    private static Boolean decide(Set<Fact> facts, int op, long k) {
        if (facts == null) {
            return null;
        }
        for (Fact f : facts) {
            Boolean d = decide(f, op, k);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /**
     * What libpcap's optimizer also knows, and nothing more (so that the loads both drop are the
     * same, and a short packet is judged alike): the same test of the same value has the same
     * outcome, and a value found equal to one constant is not equal to another.
     */
    private static Boolean decide(Fact f, int op, long k) {
        if (f.op() == op && f.k() == k) {
            return f.outcome();
        }
        if (f.op() == JEQ && f.outcome() && op == JEQ) {
            return f.k() == k;
        }
        return null;
    }

    private static boolean thread(List<Ins> code) {
        State[] in = analyze(code);
        int[] live = liveness(code);
        boolean changed = false;
        for (int i = 0; i < code.size(); i++) {
            Ins ins = code.get(i);
            if (in[i] == null) {
                continue;
            }
            if (ins.isCond()) {
                State t = in[i].copy();
                addFact(t, ins, true);
                int nt = follow(code, ins.jt, t, live);
                State f = in[i].copy();
                addFact(f, ins, false);
                int nf = follow(code, ins.jf, f, live);
                if (nt != ins.jt || nf != ins.jf) {
                    ins.jt = nt;
                    ins.jf = nf;
                    changed = true;
                    in = analyze(code);
                    live = liveness(code);
                }
            } else if (ins.isJa()) {
                int nt = follow(code, ins.jt, in[i].copy(), live);
                if (nt != ins.jt) {
                    ins.jt = nt;
                    changed = true;
                    in = analyze(code);
                    live = liveness(code);
                }
            }
        }
        return changed;
    }

    /**
     * Where an edge into {@code t} really ends, given what is known on it. A load whose value is
     * known to decide the tests after it may be skipped ("virtually" loaded) as long as the walk
     * ends where A is not read; otherwise the walk falls back to the last place that was exact.
     */
    private static int follow(List<Ins> code, int t, State s, int[] live) {
        int safe = t;
        boolean virtual = false;
        for (int steps = 0; steps < code.size(); steps++) {
            Ins in = code.get(t);
            if (virtual && !(in.isCond() && (in.code & X) == 0)) {
                if ((live[t] & 1) != 0) {
                    return safe;
                }
                virtual = false;
                s.a = null;
                safe = t;
            }
            if (in.isJa()) {
                t = in.jt;
                if (!virtual) {
                    safe = t;
                }
                continue;
            }
            if (cls(in.code) == LD) {
                String key = loadKey(in, s.x);
                if (key != null && key.equals(s.a)) {
                    // passed over, but only landed behind if a test after it is decided: libpcap's
                    // blocks keep their loads while branches move
                    t++;
                    continue;
                }
                // a load (and arithmetic on it) whose value decides the test after it
                int c = t + 1;
                while (key != null && cls(code.get(c).code) == ALU && (code.get(c).code & X) == 0) {
                    key = aluKey(code.get(c), key, s.x);
                    c++;
                }
                Ins next = code.get(c);
                if (key != null && next.isCond() && (next.code & X) == 0
                        && decide(s.facts.get(key), next.code & 0xf0, next.k & 0xffffffffL) != null) {
                    s.a = key;
                    virtual = true;
                    t = c;
                    continue;
                }
                break;
            }
            if (cls(in.code) == LDX) {
                String key = ldxKey(in);
                if (key != null && key.equals(s.x)) {
                    t++;
                    continue;
                }
                break;
            }
            if (in.isCond() && (in.code & X) == 0 && s.a != null) {
                Boolean d = decide(s.facts.get(s.a), in.code & 0xf0, in.k & 0xffffffffL);
                if (d != null) {
                    t = d ? in.jt : in.jf;
                    if (!virtual) {
                        safe = t;
                    }
                    continue;
                }
            }
            break;
        }
        if (virtual) {
            return (live[t] & 1) != 0 ? safe : t;
        }
        return safe;
    }

    /**
     * Where two pieces of code are the same instructions leading to the same places, the earlier one
     * jumps to the later one instead (jumps still go forward); unreachable copies then go.
     */
    private static boolean mergeTails(List<Ins> code) {
        int n = code.size();
        int[] canon = new int[n];
        java.util.Map<String, Integer> seen = new HashMap<>();
        for (int i = n - 1; i >= 0; i--) {
            Ins in = code.get(i);
            String key;
            if (in.isRet()) {
                key = "r" + in.code + ":" + in.k;
            } else if (in.isCond()) {
                key = "c" + in.code + ":" + in.k + ":" + canon[in.jt] + ":" + canon[in.jf];
            } else if (in.isJa()) {
                key = "j" + canon[in.jt];
            } else {
                key = "s" + in.code + ":" + in.k + ":" + canon[i + 1];
            }
            if (in.isJa()) {
                canon[i] = canon[in.jt];
                continue;
            }
            Integer prev = seen.putIfAbsent(key, i);
            canon[i] = prev == null ? i : prev;
        }
        boolean changed = false;
        for (Ins in : code) {
            if (in.isCond()) {
                if (canon[in.jt] != in.jt || canon[in.jf] != in.jf) {
                    in.jt = canon[in.jt];
                    in.jf = canon[in.jf];
                    changed = true;
                }
            } else if (in.isJa() && canon[in.jt] != in.jt) {
                in.jt = canon[in.jt];
                changed = true;
            }
        }
        // a fall-through into a copy of two or more instructions becomes a jump to the original
        for (int i = 1; i < n; i++) {
            Ins prev = code.get(i - 1);
            boolean fallsIn = !prev.isRet() && !prev.isCond() && !prev.isJa();
            Ins in = code.get(i);
            if (fallsIn && canon[i] != i && !in.isRet() && !in.isCond() && !in.isJa()) {
                code.set(i, Linear.ja(canon[i]));
                changed = true;
            }
        }
        return changed;
    }

    private static boolean isReject(Ins in) {
        return in.isRet() && (in.code & 0x18) == Bpf.K && in.k == 0;
    }

    private static boolean compact(List<Ins> code, boolean decide) {
        State[] in = analyze(code);
        int[] live = liveness(code);
        boolean[] drop = new boolean[code.size()];
        boolean any = false;
        // a load that repeats the one before goes first, and loads nobody reads only in a later pass:
        // in one pass the first would go as unread (the repeat reloads it) and the repeat as redundant
        boolean repeats = false;
        for (int i = 0; i < code.size() && !repeats; i++) {
            Ins ins = code.get(i);
            if (in[i] != null && cls(ins.code) == LD) {
                String key = loadKey(ins, in[i].x);
                repeats = key != null && key.equals(in[i].a);
            } else if (in[i] != null && cls(ins.code) == LDX) {
                String key = ldxKey(ins);
                repeats = key != null && key.equals(in[i].x);
            }
        }
        for (int i = 0; i < code.size(); i++) {
            Ins ins = code.get(i);
            if (in[i] == null) {
                drop[i] = true;
            } else if (!ins.isCond() && !ins.isJa() && !ins.isRet() && isReject(code.get(i + 1))) {
                // anything right before "ret #0" may go: failing (a load past the end) also returns 0
                drop[i] = true;
            } else if (!repeats && ((cls(ins.code) == LD || cls(ins.code) == ALU) && (live[i + 1] & 1) == 0
                    || cls(ins.code) == LDX && (live[i + 1] & 2) == 0)) {
                // a value nobody reads: libpcap's optimizer drops such loads too, so a packet too
                // short for them is judged as tcpdump judges it
                drop[i] = true;
            } else if (cls(ins.code) == LD) {
                String key = loadKey(ins, in[i].x);
                drop[i] = key != null && key.equals(in[i].a);
            } else if (cls(ins.code) == LDX) {
                String key = ldxKey(ins);
                drop[i] = key != null && key.equals(in[i].x);
            } else if (decide && ins.isCond() && ins.jt == ins.jf) {
                ins.code = JMP | JA;
                any = true;
            }
            any |= drop[i];
        }
        // a jump to the next kept instruction is dropped too
        for (int i = code.size() - 1; i >= 0; i--) {
            Ins ins = code.get(i);
            if (!drop[i] && ins.isJa()) {
                int next = i + 1;
                while (next < code.size() && drop[next]) {
                    next++;
                }
                int target = ins.jt;
                while (target < code.size() && drop[target]) {
                    target++;
                }
                if (target == next) {
                    drop[i] = true;
                    any = true;
                }
            }
        }
        if (!any) {
            return false;
        }
        int[] map = new int[code.size() + 1];
        int n = 0;
        for (int i = 0; i < code.size(); i++) {
            map[i] = n;
            if (!drop[i]) {
                n++;
            }
        }
        map[code.size()] = n;
        List<Ins> kept = new ArrayList<>();
        for (int i = 0; i < code.size(); i++) {
            if (!drop[i]) {
                Ins ins = code.get(i);
                ins.jt = map[ins.jt];
                ins.jf = map[ins.jf];
                kept.add(ins);
            }
        }
        code.clear();
        code.addAll(kept);
        return true;
    }
}
