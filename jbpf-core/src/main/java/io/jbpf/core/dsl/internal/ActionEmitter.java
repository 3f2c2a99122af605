package io.jbpf.core.dsl.internal;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.Action;
import io.jbpf.core.dsl.AddressField;
import io.jbpf.core.dsl.DslException;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;

/** Emits {@link Action}s. A verdict ends with {@code exit}; other actions fall through. */
final class ActionEmitter {
    private final Gen g;
    private final Assembler a;
    private final int sampleBuffer;
    private int countKey;
    private int byKey;
    private int byValue;

    /** {@code sampleBytes}: the largest head any sample takes (0 for none), to size the staging area once. */
    ActionEmitter(Gen gen, int sampleBytes) {
        this.g = gen;
        this.a = gen.asm;
        this.sampleBuffer = sampleBytes > 0 ? gen.stack(4 + sampleBytes) : 0;
    }

    void emit(Action action) {
        Target t = g.target;
        if (action instanceof Action.Pass) {
            g.exitWith(t.passVerdict());
        } else if (action instanceof Action.Drop) {
            g.exitWith(t.dropVerdict());
        } else if (action instanceof Action.Verdict v) {
            g.exitWith(v.value());
        } else if (action instanceof Action.Redirect r) {
            if (!t.canRedirect()) {
                throw new DslException("a " + t + " program cannot redirect (" + r + ")");
            }
            if (r.flags() < 0 || r.flags() > Integer.MAX_VALUE) {
                throw new DslException("redirect flags " + r.flags());
            }
            a.mov(Reg.R1, r.ifindex());
            a.mov(Reg.R2, (int) r.flags());
            a.call(Helper.REDIRECT);
            a.exit();
        } else if (action instanceof Action.Count c) {
            count(c);
        } else if (action instanceof Action.CountBy c) {
            java.util.Set<io.jbpf.core.dsl.Layer> known = g.known();
            countBy(c);
            g.restore(known); // its header may be absent: then it skips to its end
        } else if (action instanceof Action.Sample s) {
            sample(s);
            if (g.lazy != null) {
                g.lazy.forget(); // R7 held the length
            }
        } else if (action instanceof Action.TailCall tc) {
            g.declareGrowing(MapSpec.of(tc.map(), MapType.PROG_ARRAY, 4, 4, tc.size()));
            a.mov(Reg.R1, Reg.R6);
            a.ldMap(Reg.R2, tc.map());
            a.mov(Reg.R3, tc.index());
            a.call(Helper.TAIL_CALL);
        } else if (action instanceof Action.Code c) {
            c.action().emit(g);
        } else {
            throw new IllegalStateException("no code for " + action);
        }
    }

    private void count(Action.Count c) {
        g.declareGrowing(MapSpec.of(c.map(), MapType.PERCPU_ARRAY, 4, 16, c.index() + 1));
        if (countKey == 0) {
            countKey = g.stack(4);
        }
        String skip = g.label("count_none");
        a.store(Size.W, Reg.R10, countKey, c.index());
        a.ldMap(Reg.R1, c.map());
        a.mov(Reg.R2, Reg.R10);
        a.add(Reg.R2, countKey);
        a.call(Helper.MAP_LOOKUP_ELEM);
        a.jeq(Reg.R0, 0, skip);
        a.load(Size.DW, Reg.R1, Reg.R0, 0);
        a.add(Reg.R1, 1);
        a.store(Size.DW, Reg.R0, 0, Reg.R1);
        g.loadLength(Reg.R1, Reg.R2);
        a.load(Size.DW, Reg.R2, Reg.R0, 8);
        a.add(Reg.R2, Reg.R1);
        a.store(Size.DW, Reg.R0, 8, Reg.R2);
        a.label(skip);
    }

    /** Lookup by the packet's key; a hit adds in place, a miss inserts {packets 1, bytes len} with BPF_NOEXIST. */
    private void countBy(Action.CountBy c) {
        g.declareGrowing(MapSpec.of(c.map(), MapType.PERCPU_HASH, c.keyBytes(), 16, c.maxEntries()));
        if (byKey == 0) {
            byKey = g.stack(16);
            byValue = g.stack(16);
        }
        String skip = g.label("countby_none");
        String found = g.label("countby_hit");
        if (c.field() != null) {
            g.loadField(c.field(), Reg.R1, skip);
            a.store(Size.W, Reg.R10, byKey, Reg.R1);
        } else {
            AddressField f = c.address();
            Gen.Access acc = g.access(f.layer(), Reg.R1, skip);
            for (int at = 0; at < f.bytes(); at += 4) {
                int w = Math.min(4, f.bytes() - at);
                g.load(w, Reg.R2, acc, f.offset() + at);
                a.store(Gen.size(w), Reg.R10, byKey + at, Reg.R2);
            }
        }
        a.ldMap(Reg.R1, c.map());
        a.mov(Reg.R2, Reg.R10);
        a.add(Reg.R2, byKey);
        a.call(Helper.MAP_LOOKUP_ELEM);
        a.jne(Reg.R0, 0, found);
        a.store(Size.DW, Reg.R10, byValue, 1);
        g.loadLength(Reg.R1, Reg.R2);
        a.store(Size.DW, Reg.R10, byValue + 8, Reg.R1);
        a.ldMap(Reg.R1, c.map());
        a.mov(Reg.R2, Reg.R10);
        a.add(Reg.R2, byKey);
        a.mov(Reg.R3, Reg.R10);
        a.add(Reg.R3, byValue);
        a.mov(Reg.R4, 1); // BPF_NOEXIST
        a.call(Helper.MAP_UPDATE_ELEM);
        a.ja(skip);
        a.label(found);
        a.load(Size.DW, Reg.R1, Reg.R0, 0);
        a.add(Reg.R1, 1);
        a.store(Size.DW, Reg.R0, 0, Reg.R1);
        g.loadLength(Reg.R1, Reg.R2);
        a.load(Size.DW, Reg.R2, Reg.R0, 8);
        a.add(Reg.R2, Reg.R1);
        a.store(Size.DW, Reg.R0, 8, Reg.R2);
        a.label(skip);
    }

    /**
     * The head of the packet staged on the stack behind its length, then one
     * {@code bpf_ringbuf_output} of {@code 4 + min(length, bytes)} bytes. R7 keeps the length
     * across the helper calls (the parser is done with it).
     */
    private void sample(Action.Sample s) {
        g.declareMap(MapSpec.of(s.map(), MapType.RINGBUF, 0, 0, s.ringSize()));
        Target t = g.target;
        String skip = g.label("sample_none");
        String bounded = g.label("sample_len");
        g.loadLength(Reg.R7, Reg.R1);
        a.store(Size.W, Reg.R10, sampleBuffer, Reg.R7);
        a.jle(Reg.R7, s.bytes(), bounded);
        a.mov(Reg.R7, s.bytes());
        a.label(bounded);
        a.jeq(Reg.R7, 0, skip);
        a.mov(Reg.R1, Reg.R6);
        a.mov(Reg.R2, 0);
        a.mov(Reg.R3, Reg.R10);
        a.add(Reg.R3, sampleBuffer + 4);
        a.mov(Reg.R4, Reg.R7);
        if (t == Target.XDP) {
            a.call(Helper.XDP_LOAD_BYTES);
        } else if (t == Target.SOCKET_FILTER) {
            a.mov(Reg.R5, 0); // BPF_HDR_START_MAC
            a.call(Helper.SKB_LOAD_BYTES_RELATIVE);
        } else {
            a.call(Helper.SKB_LOAD_BYTES);
        }
        a.jne(Reg.R0, 0, skip);
        a.ldMap(Reg.R1, s.map());
        a.mov(Reg.R2, Reg.R10);
        a.add(Reg.R2, sampleBuffer);
        a.mov(Reg.R3, Reg.R7);
        a.add(Reg.R3, 4);
        a.mov(Reg.R4, 0);
        a.call(Helper.RINGBUF_OUTPUT);
        a.label(skip);
    }
}
