package io.jbpf.core.dsl;

import io.jbpf.core.dsl.internal.ProgramCompiler;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.vm.Vm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A packet program written in Java: rules tried in order, each a {@link Match} and its
 * {@link Action}s, then the default actions. Building it compiles it to eBPF for its
 * {@link Target}: each header its rules read is parsed with one bounds check, where a test first
 * needs it (or, see {@link Builder#parseHeadersUpFront()}, all at the start), so the verifier
 * accepts it as it is.
 *
 * <pre>{@code
 * import static io.jbpf.core.dsl.Dsl.*;
 *
 * PacketProgram p = PacketProgram.forTarget(Target.XDP)
 *         .when(ipv4().src().in("10.0.0.0/8").and(tcp().dstPort().between(80, 90)))
 *         .then(countPerCpu("hits"), drop())
 *         .otherwise(pass())
 *         .build();
 * try (KernelPacketProgram loaded = p.load()) { ... }          // in the kernel
 * VmPacketProgram inVm = p.loadVm(Vm.create());                 // in jbpf's VM
 * }</pre>
 *
 * <p>An immutable value: the {@link #programSpec()} with symbolic map references, the
 * {@link #maps()} it needs and the {@link #mapEntries()} they start with. No fds until loaded.
 */
public final class PacketProgram {
    private final String name;
    private final Target target;
    private final List<Rule> rules;
    private final List<Action> otherwise;
    private final ProgramSpec spec;
    private final List<MapSpec> maps;
    private final List<MapEntry> entries;

    private PacketProgram(Builder b, ProgramCompiler.Result compiled) {
        this.name = b.name;
        this.target = b.target;
        this.rules = List.copyOf(b.rules);
        this.otherwise = List.copyOf(b.otherwise);
        this.spec = compiled.spec();
        this.maps = compiled.maps();
        this.entries = compiled.entries();
    }

    /** A builder of a program for {@code target}. */
    public static Builder forTarget(Target target) {
        return new Builder(target);
    }

    /** The program's name. */
    public String name() {
        return name;
    }

    public Target target() {
        return target;
    }

    /** The rules, in the order they are tried. */
    public List<Rule> rules() {
        return rules;
    }

    /** The actions for packets no rule ended. */
    public List<Action> otherwise() {
        return otherwise;
    }

    /** The compiled program; its map references are the names of {@link #maps()}. */
    public ProgramSpec programSpec() {
        return spec;
    }

    /** The maps the program uses, in order of first use. */
    public List<MapSpec> maps() {
        return maps;
    }

    /** The map called {@code mapName}, if the program has one. */
    public Optional<MapSpec> map(String mapName) {
        return maps.stream().filter(m -> m.name().equals(mapName)).findFirst();
    }

    /** What the maps hold when the program is loaded. */
    public List<MapEntry> mapEntries() {
        return entries;
    }

    /**
     * Creates the maps in the kernel, fills them and loads the program.
     *
     * @throws io.jbpf.core.VerifierException when the verifier refuses the program (a bug of the DSL)
     */
    public KernelPacketProgram load() {
        return KernelPacketProgram.load(this, Map.of());
    }

    /**
     * As {@link #load()}, but the maps of {@code shared} (by name) are used instead of new ones, to
     * share them with other programs; they must be compatible with the program's specs, stay the
     * caller's, and get the program's {@link #mapEntries()} too.
     *
     * @throws DslException when a shared map does not match the program's spec of that name
     */
    public KernelPacketProgram load(Map<String, ? extends io.jbpf.core.map.KernelMap> shared) {
        return KernelPacketProgram.load(this, shared);
    }

    /** Creates in-memory maps, fills them and loads the program into {@code vm}. */
    public VmPacketProgram loadVm(Vm vm) {
        return VmPacketProgram.load(this, vm, Map.of());
    }

    /** As {@link #loadVm(Vm)}, using the in-memory maps of {@code shared} (by name) instead of new ones. */
    public VmPacketProgram loadVm(Vm vm, Map<String, ? extends io.jbpf.core.map.MemoryMap> shared) {
        return VmPacketProgram.load(this, vm, shared);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketProgram p && spec.equals(p.spec) && maps.equals(p.maps) && entries.equals(p.entries)
                && target == p.target;
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, maps, entries, target);
    }

    @Override
    public String toString() {
        return "PacketProgram[" + name + ", " + target + ", " + rules.size() + " rules, " + spec.instructionCount()
                + " insns, maps " + maps.stream().map(MapSpec::name).toList() + "]";
    }

    /** Builds a {@link PacketProgram}: rules with {@link #when}, defaults with {@link #otherwise}. */
    public static final class Builder {
        private final Target target;
        private String name = "jbpf_dsl";
        private final List<Rule> rules = new ArrayList<>();
        private List<Action> otherwise = List.of(Action.Pass.INSTANCE);
        private final Map<String, MapSpec> extraMaps = new LinkedHashMap<>();
        private int ipv6Headers = 4;
        private boolean upFront;

        private Builder(Target target) {
            this.target = Objects.requireNonNull(target, "target");
        }

        /** The program's name (at most 15 characters of letters, digits, '_' and '.'). Default {@code jbpf_dsl}. */
        public Builder name(String programName) {
            this.name = Objects.requireNonNull(programName, "name");
            return this;
        }

        /** Starts a rule: {@code when(match).then(actions...)}. */
        public RuleBuilder when(Match match) {
            return new RuleBuilder(this, Objects.requireNonNull(match, "match"));
        }

        /** Adds a complete rule. */
        public Builder rule(Rule rule) {
            rules.add(Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /**
         * The actions for packets no rule ended (default: pass). A missing verdict at the end means
         * pass.
         */
        public Builder otherwise(Action... actions) {
            this.otherwise = List.copyOf(Arrays.asList(actions));
            new Rule(Match.always(), otherwise);
            return this;
        }

        /** A map the program declares besides those its actions and sets need (for {@link CodeAction}s). */
        public Builder map(MapSpec spec) {
            extraMaps.put(spec.name(), spec);
            return this;
        }

        /**
         * How many IPv6 extension headers (hop-by-hop, routing, fragment, destination options, AH)
         * the parser walks before it gives up on the transport header. Default 4, at most 8.
         */
        public Builder ipv6ExtensionHeaders(int count) {
            if (count < 0 || count > 8) {
                throw new DslException("IPv6 extension header limit " + count + " (0..8)");
            }
            this.ipv6Headers = count;
            return this;
        }

        /**
         * Parses every header the program reads once, at its start, instead of where a test first
         * needs it. By default a program for XDP or TC whose rules use only the DSL's own matches
         * and actions, and at most two of which read headers, parses lazily: a header is looked
         * for just before the first test that reads it and a packet that fails a test early is
         * never parsed further (unless the program would then be more than four times as long: an
         * {@code or} of tests on different headers looks for each anew); other programs (socket
         * filters, code predicates and actions, many rules) always parse up front. Both ways give the same verdicts; this switch is for
         * comparing them.
         */
        public Builder parseHeadersUpFront() {
            this.upFront = true;
            return this;
        }

        /**
         * Compiles the program.
         *
         * @throws DslException for rules that cannot be compiled for the target (a redirect in a
         *         socket filter, maps of one name with different shapes, too much stack, …)
         */
        public PacketProgram build() {
            ProgramCompiler.Result r = new ProgramCompiler(name, target, rules, otherwise,
                    List.copyOf(extraMaps.values()), ipv6Headers, upFront).compile();
            return new PacketProgram(this, r);
        }
    }

    /** The second half of {@code when(match).then(actions...)}. */
    public static final class RuleBuilder {
        private final Builder owner;
        private final Match match;

        private RuleBuilder(Builder owner, Match match) {
            this.owner = owner;
            this.match = match;
        }

        /** The rule's actions. */
        public Builder then(Action... actions) {
            return owner.rule(new Rule(match, Arrays.asList(actions)));
        }
    }
}
