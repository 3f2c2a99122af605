package io.jbpf.netpolicy.conntrack;

import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R10;
import static io.jbpf.core.insn.Reg.R4;
import static io.jbpf.core.insn.Reg.R5;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.Action;
import io.jbpf.core.dsl.CodeAction;
import io.jbpf.core.dsl.Dsl;
import io.jbpf.core.dsl.DslException;
import io.jbpf.core.dsl.Emitter;
import io.jbpf.core.dsl.Layer;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.MapSpec;
import io.jbpf.netpolicy.policy.Direction;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Connection tracking as two packet-DSL actions of one hook, sharing a question area per program:
 * <pre>{@code
 * ConntrackBlock ct = new ConntrackBlock(ConntrackMap.spec("ct", 65536), Direction.INGRESS);
 * PacketProgram.forTarget(Target.TC_INGRESS)
 *         .when(always()).then(ct.track())                                // known traffic passes here
 *         .when(tcp().dstPort().eq(80)).then(ct.create(), pass())         // policy: new connections allowed
 *         .otherwise(drop())
 *         .build();
 * }</pre>
 * {@link #track()} reads the packet's tuple and looks it up: {@link ConntrackResult#ESTABLISHED},
 * {@link ConntrackResult#REPLY} and {@link ConntrackResult#RELATED} packets end the program with
 * the target's pass verdict; new connections, untracked packets (see {@link ConntrackTuple}) and
 * non-IPv4 frames go on to the next rules. {@link #create()} records the connection of a new packet
 * (nothing for untracked packets and ICMP errors). {@code track()} must run before {@code create()}
 * on every path: put it first, under {@code always()}. Only targets with direct packet access (XDP, TC).
 */
public final class ConntrackBlock {
    private static final int UNTRACKED = 2;

    private final MapSpec map;
    private final Direction hook;
    private final ConntrackTimeouts timeouts;
    /** The question area of each program being generated (the emitter is per program). */
    private final Map<Emitter, Integer> areas = Collections.synchronizedMap(new WeakHashMap<>());

    /** The block of the hook that sees packets in {@code hook}, with the default timeouts. */
    public ConntrackBlock(MapSpec map, Direction hook) {
        this(map, hook, ConntrackTimeouts.DEFAULTS);
    }

    /**
     * The block of the hook that sees packets in {@code hook}.
     *
     * @param map the conntrack map's spec ({@link ConntrackMap#spec}); programs declare it by its name
     */
    public ConntrackBlock(MapSpec map, Direction hook, ConntrackTimeouts timeouts) {
        this.map = Objects.requireNonNull(map, "map");
        this.hook = Objects.requireNonNull(hook, "hook");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
        if (map.keySize() != ConntrackMap.KEY_SIZE || map.valueSize() != ConntrackMap.VALUE_SIZE) {
            throw new IllegalArgumentException("map " + map.name() + " is not a conntrack map (key/value sizes "
                    + map.keySize() + "/" + map.valueSize() + ")");
        }
    }

    private int area(Emitter e) {
        if (!e.target().directPacketAccess()) {
            throw new DslException("conntrack needs direct packet access (XDP or TC), not " + e.target());
        }
        e.declareMap(map);
        return areas.computeIfAbsent(e, x -> x.stack(ConntrackStep.AREA));
    }

    /** The lookup: known traffic ends the program with the pass verdict, the rest goes on. */
    public Action track() {
        return Dsl.code(new CodeAction() {
            @Override
            public void emit(Emitter e) {
                int area = area(e);
                Assembler a = e.asm();
                String untracked = e.label("ct_untracked");
                String pass = e.label("ct_pass");
                String end = e.label("ct_end");
                // everything create() reads is written on every path
                for (int i = 0; i < ConntrackStep.VALUE; i += 8) {
                    a.store(Size.DW, R10, area + i, 0);
                }
                a.store(Size.B, R10, area + ConntrackStep.KIND, UNTRACKED);
                // R7-R9 are the DSL's: the packet pointers go in R4 and R5, the result on the stack
                e.headerPointer(Layer.IPV4, R4, untracked);
                e.loadPacketEnd(R5);
                ConntrackTuple.emit(a, R4, R5, hook, area, untracked, e.label("ct_tuple"));
                ConntrackStep.lookupToArea(a, map.name(), area, timeouts, e.label("ct_lookup"));
                a.load(Size.B, R1, R10, area + ConntrackStep.RESULT)
                        .jne(R1, ConntrackResult.NEW.code(), pass).ja(end);
                a.label(pass);
                e.exitWith(e.target().passVerdict());
                a.label(untracked).store(Size.B, R10, area + ConntrackStep.KIND, UNTRACKED);
                a.label(end);
            }

            @Override
            public Set<Layer> layers() {
                return Set.of(Layer.IPV4);
            }
        });
    }

    /** Records the connection of a new packet that {@link #track()} looked up (after policy allowed it). */
    public Action create() {
        return Dsl.code(e -> {
            int area = area(e);
            Assembler a = e.asm();
            String skip = e.label("ct_nocreate");
            a.load(Size.B, R1, R10, area + ConntrackStep.KIND).jne(R1, ConntrackStep.KIND_PACKET, skip);
            ConntrackStep.create(a, map.name(), area, timeouts, e.label("ct_create"));
            a.label(skip);
        });
    }

}
