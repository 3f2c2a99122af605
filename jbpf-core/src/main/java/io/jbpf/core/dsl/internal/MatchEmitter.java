package io.jbpf.core.dsl.internal;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.AddressField;
import io.jbpf.core.dsl.Field;
import io.jbpf.core.dsl.Match;
import io.jbpf.core.dsl.Prefix;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.JumpCond;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import io.jbpf.core.dsl.Layer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Compiles a {@link Match} to branches: {@link #jumpIfFalse} falls through when the packet
 * matches and jumps to a label when it does not, {@link #jumpIfTrue} the other way round. And, or
 * and not only choose labels; no truth value is ever kept in a register. Leaves use R1–R3 (R0–R5
 * for LPM lookups and code predicates).
 */
final class MatchEmitter {
    private final Gen g;
    private final Assembler a;
    private int lpmSets;

    MatchEmitter(Gen gen) {
        this.g = gen;
        this.a = gen.asm;
    }

    /** Falls through when {@code m} holds, else jumps to {@code no}. */
    void jumpIfFalse(Match m, String no) {
        Set<Layer> entry = g.known();
        Layer hoisted = hoist(m);
        String skip = null;
        if (hoisted != null) {
            // every leaf reads one header: find it once, before them; without it m has a known value
            if (valueWithout(m)) {
                skip = g.label("absent");
                g.lazy.ensure(hoisted, skip);
            } else {
                g.lazy.ensure(hoisted, no);
            }
        }
        if (m instanceof Match.And and) {
            for (Match t : order(and.terms())) {
                jumpIfFalse(t, no);
            }
        } else if (m instanceof Match.Or or) {
            Set<Layer> before = g.known();
            String yes = g.label("or_yes");
            List<Match> terms = or.terms();
            for (int i = 0; i < terms.size() - 1; i++) {
                jumpIfTrue(terms.get(i), yes);
            }
            jumpIfFalse(terms.get(terms.size() - 1), no);
            a.label(yes);
            g.restore(before);
        } else if (m instanceof Match.Not not) {
            jumpIfTrue(not.term(), no);
        } else {
            leaf(m, no, false);
        }
        if (skip != null) {
            a.label(skip);
            g.restore(entry);
        }
    }

    /** Jumps to {@code yes} when {@code m} holds, else falls through. */
    void jumpIfTrue(Match m, String yes) {
        Set<Layer> entry = g.known();
        Layer hoisted = hoist(m);
        String skip = null;
        if (hoisted != null) {
            if (valueWithout(m)) {
                g.lazy.ensure(hoisted, yes);
            } else {
                skip = g.label("absent");
                g.lazy.ensure(hoisted, skip);
            }
        }
        if (m instanceof Match.And and) {
            String no = g.label("and_no");
            List<Match> terms = order(and.terms());
            for (int i = 0; i < terms.size() - 1; i++) {
                jumpIfFalse(terms.get(i), no);
            }
            jumpIfTrue(terms.get(terms.size() - 1), yes);
            a.label(no);
        } else if (m instanceof Match.Or or) {
            for (Match t : or.terms()) {
                jumpIfTrue(t, yes);
            }
        } else if (m instanceof Match.Not not) {
            jumpIfFalse(not.term(), yes);
        } else {
            leaf(m, yes, true);
        }
        if (skip != null) {
            a.label(skip);
        }
        // it falls through when m is false, also when a header it looked for is absent
        g.restore(entry);
    }

    /**
     * With the lazy parser: the header every leaf of the compound {@code m} reads, when there is
     * one and it is not known yet, else null. (A leaf finds its own header.)
     */
    private Layer hoist(Match m) {
        if (g.lazy == null || !(m instanceof Match.And || m instanceof Match.Or || m instanceof Match.Not)) {
            return null;
        }
        Set<Layer> seen = EnumSet.noneOf(Layer.class);
        if (!leafLayers(m, seen) || seen.size() != 1) {
            return null;
        }
        Layer l = seen.iterator().next();
        return g.lazy.isKnown(l) ? null : l;
    }

    /** Adds the header of each leaf; false when a leaf reads none or is code. */
    private static boolean leafLayers(Match m, Set<Layer> out) {
        if (m instanceof Match.And and) {
            return and.terms().stream().allMatch(t -> leafLayers(t, out));
        } else if (m instanceof Match.Or or) {
            return or.terms().stream().allMatch(t -> leafLayers(t, out));
        } else if (m instanceof Match.Not not) {
            return leafLayers(not.term(), out);
        }
        Layer l = layerOf(m);
        if (l == null) {
            return false;
        }
        out.add(l);
        return true;
    }

    /** The header a leaf reads, or null (constants, the packet length, code). */
    static Layer layerOf(Match m) {
        if (m instanceof Match.Present p) {
            return p.layer();
        } else if (m instanceof Match.Compare c) {
            return c.field().layer();
        } else if (m instanceof Match.Between b) {
            return b.field().layer();
        } else if (m instanceof Match.OneOf o) {
            return o.field().layer();
        } else if (m instanceof Match.Masked k) {
            return k.field().layer();
        } else if (m instanceof Match.InCidrs c) {
            return c.field().layer();
        }
        return null;
    }

    /** The value of {@code m} for a packet without the headers its leaves read: every leaf false. */
    private static boolean valueWithout(Match m) {
        if (m instanceof Match.And and) {
            return and.terms().stream().allMatch(MatchEmitter::valueWithout);
        } else if (m instanceof Match.Or or) {
            return or.terms().stream().anyMatch(MatchEmitter::valueWithout);
        } else if (m instanceof Match.Not not) {
            return !valueWithout(not.term());
        }
        return false;
    }

    /**
     * With the lazy parser the terms of an {@code and} are tested outer headers first (the
     * packet length, Ethernet, tags, network, transport: each found from the one before, and a
     * packet that fails early never has its later headers parsed); otherwise, or when a term is
     * code, in the order written. The order of terms does not change what an {@code and} means.
     */
    private List<Match> order(List<Match> terms) {
        if (g.lazy == null) {
            return terms;
        }
        List<Match> sorted = new ArrayList<>(terms);
        for (Match t : terms) {
            if (depth(t) == Integer.MAX_VALUE) {
                return terms;
            }
        }
        sorted.sort(Comparator.comparingInt(MatchEmitter::depth)); // stable: equals keep their order
        return sorted;
    }

    /** How deep in the packet the deepest header of {@code m} is; MAX_VALUE for code. */
    private static int depth(Match m) {
        if (m instanceof Match.And and) {
            return and.terms().stream().mapToInt(MatchEmitter::depth).max().orElse(-1);
        } else if (m instanceof Match.Or or) {
            return or.terms().stream().mapToInt(MatchEmitter::depth).max().orElse(-1);
        } else if (m instanceof Match.Not not) {
            return depth(not.term());
        } else if (m instanceof Match.Code) {
            return Integer.MAX_VALUE;
        }
        Layer l = layerOf(m);
        if (l == null) {
            return -1;
        }
        if (l.isTransport()) {
            return 5;
        }
        switch (l) {
            case ETHERNET:
                return 0;
            case VLAN:
                return 1;
            case VLAN_INNER:
                return 2;
            case IPV6_FRAGMENT:
                return 4;
            default:
                return 3;
        }
    }

    /**
     * A leaf: jumps to {@code target} when its truth equals {@code when}, else falls through. An
     * absent header makes it false.
     */
    private void leaf(Match m, String target, boolean when) {
        String skip = when ? g.label("absent") : null;
        String absent = when ? skip : target;
        if (m == Match.Const.TRUE || m == Match.Const.FALSE) {
            if ((m == Match.Const.TRUE) == when) {
                a.ja(target);
            }
            return;
        } else if (m instanceof Match.Present p) {
            if (g.lazy != null) {
                if (when && g.lazy.isKnown(p.layer())) {
                    // true here; tested all the same, for the code after it must stay reachable
                    Gen.Access acc = g.lazy.access(p.layer(), Reg.R1);
                    a.jne(acc.base(), 0, target);
                    a.label(skip);
                    return;
                }
                g.lazy.ensure(p.layer(), absent);
                if (when) {
                    a.ja(target);
                    a.label(skip);
                }
                return;
            }
            a.load(Size.DW, Reg.R1, Reg.R10, g.slot(p.layer()));
            a.jump(when ? JumpCond.NE : JumpCond.EQ, Reg.R1, 0, target);
            return;
        } else if (m instanceof Match.Compare c) {
            compare(c, target, when, absent);
        } else if (m instanceof Match.Between b) {
            loadHost(b.field(), absent);
            // low <= v <= high as one unsigned compare: v - low <= high - low (32-bit wrap)
            if (b.low() != 0) {
                a.add32(Reg.R2, (int) -b.low());
            }
            a.jump32(when ? JumpCond.LE : JumpCond.GT, Reg.R2, (int) (b.high() - b.low()), target);
        } else if (m instanceof Match.OneOf o) {
            boolean raw = loadComparable(o.field(), absent);
            String hit = when ? target : g.label("in");
            for (int i = 0; i < o.values().size(); i++) {
                int v = constant(o.field(), o.values().get(i), raw);
                if (!when && i == o.values().size() - 1) {
                    a.jump32(JumpCond.NE, Reg.R2, v, target);
                } else {
                    a.jump32(JumpCond.EQ, Reg.R2, v, hit);
                }
            }
            if (!when) {
                a.label(hit);
            }
        } else if (m instanceof Match.Masked k) {
            boolean raw = loadComparable(k.field(), absent);
            a.and32(Reg.R2, constant(k.field(), k.mask(), raw));
            a.jump32(when ? JumpCond.EQ : JumpCond.NE, Reg.R2, constant(k.field(), k.value(), raw), target);
        } else if (m instanceof Match.InCidrs c) {
            if (c.set().usesMap()) {
                lpm(c, target, when, absent);
            } else {
                inline(c, target, when, absent);
            }
        } else if (m instanceof Match.Code c) {
            String next = g.label("code_next");
            if (when) {
                c.predicate().emit(g, target, next);
            } else {
                c.predicate().emit(g, next, target);
            }
            a.label(next);
        } else {
            throw new IllegalStateException("no code for " + m);
        }
        if (skip != null) {
            a.label(skip);
        }
    }

    private void compare(Match.Compare c, String target, boolean when, String absent) {
        JumpCond cond = cond(c.op());
        if (!when) {
            cond = negate(cond);
        }
        boolean equality = c.op() == Match.Op.EQ || c.op() == Match.Op.NE;
        boolean raw = equality ? loadComparable(c.field(), absent) : loadHost(c.field(), absent);
        a.jump32(cond, Reg.R2, constant(c.field(), c.value(), raw), target);
    }

    private static JumpCond cond(Match.Op op) {
        switch (op) {
            case EQ:
                return JumpCond.EQ;
            case NE:
                return JumpCond.NE;
            case LT:
                return JumpCond.LT;
            case LE:
                return JumpCond.LE;
            case GT:
                return JumpCond.GT;
            default:
                return JumpCond.GE;
        }
    }

    private static JumpCond negate(JumpCond c) {
        switch (c) {
            case EQ:
                return JumpCond.NE;
            case NE:
                return JumpCond.EQ;
            case LT:
                return JumpCond.GE;
            case GE:
                return JumpCond.LT;
            case LE:
                return JumpCond.GT;
            case GT:
                return JumpCond.LE;
            default:
                throw new IllegalStateException(c.toString());
        }
    }

    /** R2 = the field in host order; false (not raw). */
    private boolean loadHost(Field f, String absent) {
        g.loadField(f, Reg.R2, absent);
        return false;
    }

    /**
     * R2 = the field ready for equality tests: as stored when it needs no shift (constants are
     * then swapped instead), else in host order. Returns whether it is raw.
     */
    private boolean loadComparable(Field f, String absent) {
        if (f.layer() == null || f.shift() != 0 || f.bytes() == 1) {
            return loadHost(f, absent);
        }
        Gen.Access acc = g.access(f.layer(), Reg.R1, absent);
        g.load(f.bytes(), Reg.R2, acc, f.offset());
        long full = (1L << (f.bytes() * 8)) - 1;
        if (f.mask() != full) {
            a.and32(Reg.R2, swap(f.mask(), f.bytes()));
        }
        return true;
    }

    private static int constant(Field f, long value, boolean raw) {
        return raw ? swap(value, f.bytes()) : (int) value;
    }

    /** The bytes of {@code value} in network order read as a little-endian number. */
    static int swap(long value, int bytes) {
        return bytes == 2 ? Short.reverseBytes((short) value) & 0xffff
                : bytes == 4 ? Integer.reverseBytes((int) value) : (int) value;
    }

    // ---- address sets ----

    /** Compares each prefix word by word; a word is 4 bytes, the last of a MAC 2. Uses R2 and R3. */
    private void inline(Match.InCidrs c, String target, boolean when, String absent) {
        AddressField f = c.field();
        Gen.Access acc = g.access(f.layer(), Reg.R1, absent);
        List<Prefix> prefixes = c.set().prefixes();
        // the first word, which every prefix tests, is read once and kept in R2; later words go to R3
        g.load(4, Reg.R2, acc, f.offset());
        String matched = when ? target : g.label("cidr_in");
        for (int i = 0; i < prefixes.size(); i++) {
            boolean last = i == prefixes.size() - 1;
            Prefix p = prefixes.get(i);
            // the last prefix of a jump-if-false goes to the target on a miss and falls through on
            // a hit; every other prefix jumps to "matched" on its last word and falls through on a miss
            boolean fallOnHit = last && !when;
            String miss = fallOnHit ? target : g.label("cidr_next");
            byte[] addr = p.address();
            int words = 0;
            for (int at = 0; at < f.bytes(); at += 4) {
                if (Math.max(0, Math.min(Math.min(4, f.bytes() - at) * 8, p.length() - at * 8)) > 0) {
                    words++;
                }
            }
            int word = 0;
            for (int at = 0; at < f.bytes(); at += 4) {
                int width = Math.min(4, f.bytes() - at);
                int covered = Math.max(0, Math.min(width * 8, p.length() - at * 8));
                if (covered == 0) {
                    break;
                }
                word++;
                Reg r = Reg.R2;
                if (at > 0) {
                    r = Reg.R3;
                    g.load(width, r, acc, f.offset() + at);
                }
                int value = word(addr, at, width);
                if (covered < width * 8) {
                    int mask = word(maskBytes(covered, width), 0, width);
                    if (r == Reg.R2 && !last) { // the last prefix may change R2 in place
                        a.mov32(Reg.R3, Reg.R2);
                        r = Reg.R3;
                    }
                    a.and32(r, mask);
                }
                if (word == words && !fallOnHit) {
                    a.jump32(JumpCond.EQ, r, value, matched);
                } else {
                    a.jump32(JumpCond.NE, r, value, miss);
                }
            }
            if (!fallOnHit) {
                a.label(miss);
            }
        }
        if (!when) {
            a.label(matched);
        }
    }

    private static byte[] maskBytes(int bits, int width) {
        byte[] m = new byte[width];
        for (int b = 0; b < bits; b++) {
            m[b / 8] |= (byte) (0x80 >> (b % 8));
        }
        return m;
    }

    /** {@code width} bytes of {@code bytes} at {@code at}, read as a little-endian number. */
    private static int word(byte[] bytes, int at, int width) {
        ByteBuffer bb = ByteBuffer.wrap(bytes, at, width).order(ByteOrder.LITTLE_ENDIAN);
        return width == 4 ? bb.getInt() : bb.getShort() & 0xffff;
    }

    /** One lookup in an LPM trie holding the set. */
    private void lpm(Match.InCidrs c, String target, boolean when, String absent) {
        AddressField f = c.field();
        int n = f.bytes();
        String name = c.set().mapName().orElse("jbpf_lpm" + lpmSets++);
        MapSpec spec = MapSpec.of(name, MapType.LPM_TRIE, 4 + n, 1, Math.max(c.set().prefixes().size(), 16))
                .withFlags(MapFlags.NO_PREALLOC);
        boolean fresh = g.maps().stream().noneMatch(m -> m.name().equals(name));
        g.declareMap(spec);
        if (fresh) {
            for (Prefix p : c.set().prefixes()) {
                byte[] key = ByteBuffer.allocate(4 + n).order(ByteOrder.LITTLE_ENDIAN).putInt(p.length())
                        .put(p.address()).array();
                g.fillMap(name, key, new byte[] {1});
            }
        }
        int key = g.lpmKey();
        Gen.Access acc = g.access(f.layer(), Reg.R1, absent);
        a.store(Size.W, Reg.R10, key, n * 8);
        for (int at = 0; at < n; at += 4) {
            int w = Math.min(4, n - at);
            g.load(w, Reg.R2, acc, f.offset() + at);
            a.store(Gen.size(w), Reg.R10, key + 4 + at, Reg.R2);
        }
        a.ldMap(Reg.R1, name);
        a.mov(Reg.R2, Reg.R10);
        a.add(Reg.R2, key);
        a.call(Helper.MAP_LOOKUP_ELEM);
        a.jump(when ? JumpCond.NE : JumpCond.EQ, Reg.R0, 0, target);
    }
}
