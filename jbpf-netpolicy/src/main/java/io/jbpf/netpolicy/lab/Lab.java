package io.jbpf.netpolicy.lab;

import io.jbpf.netpolicy.lab.internal.Commands;
import io.jbpf.netpolicy.lab.internal.LabBuilder;
import io.jbpf.netpolicy.lab.internal.LabServers;
import io.jbpf.netpolicy.lab.internal.LabState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A cluster on one machine, made of network namespaces: {@link #up} builds one from a
 * {@link LabSpec}, {@link #down(String)} removes every trace of it by its name, also after a crash
 * of whatever built it. Nothing is created in the root namespace and it gets no route to the lab.
 *
 * <p>The lab's state (its spec, the servers' logs) lives under {@code /run/jbpf/lab/<name>/}; a lab
 * is found again with {@link #open(String)}. Namespaces are named by {@link LabNames}.
 */
public final class Lab {
    /** How long {@link #exec(String, String...)} lets a command run. */
    public static final Duration EXEC_TIMEOUT = Duration.ofSeconds(60);

    private final LabSpec spec;
    private final LabNames names;
    private final Path stateRoot;

    private Lab(LabSpec spec, Path stateRoot) {
        this.spec = spec;
        this.names = new LabNames(spec.name());
        this.stateRoot = stateRoot;
    }

    /**
     * Brings {@code spec} up. If a lab of that name is already up with the same spec, with all its
     * namespaces and servers, it is returned untouched; otherwise whatever is left of a lab of that
     * name is removed first. On failure everything made so far is removed.
     *
     * @throws LabException naming the command that failed, or a server that did not start
     */
    public static Lab up(LabSpec spec) {
        return up(spec, LabState.DEFAULT_ROOT);
    }

    /** {@link #up(LabSpec)} with the state kept under {@code stateRoot}. */
    @SuppressWarnings("try") // the lock is held by being open
    public static Lab up(LabSpec spec, Path stateRoot) {
        Lab lab = new Lab(spec, stateRoot);
        LabState state = new LabState(stateRoot, spec.name());
        try (FileChannel lock = state.lock()) {
            if (state.isComplete() && state.readableSpec().filter(spec::equals).isPresent() && lab.healthy()) {
                return lab;
            }
            remove(spec.name(), state);
            state.begin(spec);
            try {
                new LabBuilder(spec).build();
                LabServers servers = new LabServers(state.dir());
                if (!spec.outside().ports().isEmpty()) {
                    servers.start(lab.names.outside(), "outside", spec.outside().ports());
                }
                for (PodSpec p : spec.pods()) {
                    servers.start(lab.names.pod(p), p.name(), p.ports());
                }
                servers.awaitReady();
                state.complete();
                return lab;
            } catch (RuntimeException e) {
                try {
                    remove(spec.name(), state);
                } catch (RuntimeException cleanup) {
                    e.addSuppressed(cleanup);
                }
                throw e;
            }
        } catch (IOException e) {
            throw new LabException("cannot release the lock of lab '" + spec.name() + "'", e);
        }
    }

    /**
     * The lab {@code name} as its state describes it.
     *
     * @throws LabException when there is no such lab
     */
    public static Lab open(String name) {
        return open(name, LabState.DEFAULT_ROOT);
    }

    /** {@link #open(String)} with the state under {@code stateRoot}. */
    public static Lab open(String name, Path stateRoot) {
        checkName(name);
        Optional<LabSpec> spec = new LabState(stateRoot, name).spec();
        if (spec.isEmpty()) {
            throw new LabException("no lab named '" + name + "' (labs: " + String.join(", ", list(stateRoot))
                    + "; bring one up with: jbpf lab up --name " + name + ")");
        }
        return new Lab(spec.get(), stateRoot);
    }

    /**
     * Removes lab {@code name}: ends every process in its namespaces, deletes the namespaces (and
     * with them every interface and route of the lab) and its state. Finds the namespaces by their
     * prefix, so it works without a state and after a crash half way through {@link #up}.
     *
     * @return whether there was anything to remove
     */
    public static boolean down(String name) {
        return down(name, LabState.DEFAULT_ROOT);
    }

    /** {@link #down(String)} with the state under {@code stateRoot}. */
    @SuppressWarnings("try") // the lock is held by being open
    public static boolean down(String name, Path stateRoot) {
        checkName(name);
        LabState state = new LabState(stateRoot, name);
        boolean had;
        try (FileChannel lock = state.lock()) {
            had = remove(name, state);
        } catch (IOException e) {
            throw new LabException("cannot release the lock of lab '" + name + "'", e);
        }
        state.removeLock();
        return had;
    }

    /** Removes this lab; see {@link #down(String)}. */
    public boolean down() {
        return down(spec.name(), stateRoot);
    }

    private static void checkName(String name) {
        if (!LabSpec.isValidName(name)) {
            throw new IllegalArgumentException("'" + name + "' is not a lab name: 1 to 32 of a-z and 0-9");
        }
    }

    private static boolean remove(String name, LabState state) {
        String prefix = new LabNames(name).prefix();
        List<String> namespaces = Commands.namespaces().stream().filter(n -> n.startsWith(prefix)).toList();
        boolean had = !namespaces.isEmpty() || state.exists();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> victims = new ArrayList<>();
        for (String ns : namespaces) {
            for (long pid : Commands.pids(ns)) {
                if (pid != self) {
                    ProcessHandle.of(pid).ifPresent(victims::add);
                }
            }
        }
        for (ProcessHandle p : victims) {
            p.destroyForcibly();
        }
        for (ProcessHandle p : victims) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // still there: deleting the namespace name below works all the same
            }
        }
        List<String> failed = new ArrayList<>();
        for (String ns : namespaces) {
            ExecResult r = Commands.run(List.of("ip", "netns", "delete", ns), Commands.TIMEOUT);
            if (!r.ok() && Commands.namespaces().contains(ns)) {
                failed.add(ns + " (" + r.output().strip() + ")");
            }
        }
        state.clear();
        if (!failed.isEmpty()) {
            throw new LabException("cannot delete network namespaces of lab '" + name + "': " + String.join(", ", failed));
        }
        return had;
    }

    /** The names of the labs on this machine: with a state, or with namespaces left of a crashed one. */
    public static List<String> list() {
        return list(LabState.DEFAULT_ROOT);
    }

    /** {@link #list()} with the states under {@code stateRoot}. */
    public static List<String> list(Path stateRoot) {
        TreeSet<String> names = new TreeSet<>(LabState.names(stateRoot));
        for (String ns : Commands.namespaces()) {
            if (ns.startsWith(LabNames.PREFIX)) {
                String rest = ns.substring(LabNames.PREFIX.length());
                int dash = rest.indexOf('-');
                if (dash > 0 && LabSpec.isValidName(rest.substring(0, dash))) {
                    names.add(rest.substring(0, dash));
                }
            }
        }
        return new ArrayList<>(names);
    }

    /** What this lab was built from. */
    public LabSpec spec() {
        return spec;
    }

    /** The names of its namespaces and devices. */
    public LabNames names() {
        return names;
    }

    /** Where its state is kept. */
    public Path stateDir() {
        return new LabState(stateRoot, spec.name()).dir();
    }

    /**
     * The network namespace of {@code member}: a pod ({@code namespace/name}, or a name only one pod
     * has), a node, {@code <node>-health}, {@code outside} or {@code underlay}.
     *
     * @throws LabException when the lab has no such member
     */
    public String namespaceOf(String member) {
        Optional<PodSpec> pod = spec.pod(member);
        if (pod.isPresent()) {
            return names.pod(pod.get());
        }
        if (spec.node(member).isPresent()) {
            return names.node(member);
        }
        for (NodeSpec n : spec.nodes()) {
            if (member.equals(n.name() + "-health")) {
                return names.health(n.name());
            }
        }
        if (member.equals("outside")) {
            return names.outside();
        }
        if (member.equals("underlay")) {
            return names.underlay();
        }
        throw new LabException("lab '" + spec.name() + "' has no pod or node '" + member + "' (pods: "
                + String.join(", ", spec.pods().stream().map(PodSpec::qualifiedName).toList()) + "; nodes: "
                + String.join(", ", spec.nodes().stream().map(NodeSpec::name).toList()) + "; outside)");
    }

    /** The command line that runs {@code command} in {@code member}'s namespace (as {@code ip netns exec}). */
    public List<String> commandIn(String member, List<String> command) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command to run in " + member);
        }
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespaceOf(member)));
        cmd.addAll(command);
        return cmd;
    }

    /** Runs {@code command} in {@code member}'s namespace for at most {@link #EXEC_TIMEOUT}. */
    public ExecResult exec(String member, String... command) {
        return exec(member, EXEC_TIMEOUT, List.of(command));
    }

    /** Runs {@code command} in {@code member}'s namespace for at most {@code timeout}. */
    public ExecResult exec(String member, Duration timeout, List<String> command) {
        return Commands.run(commandIn(member, command), timeout);
    }

    /** Every namespace the lab should have, whether it is there and how many processes run in it. */
    public List<LabMember> members() {
        List<String> present = Commands.namespaces();
        List<LabMember> out = new ArrayList<>();
        out.add(member(LabMember.Kind.UNDERLAY, "underlay", names.underlay(), "", null, present));
        out.add(member(LabMember.Kind.OUTSIDE, "outside", names.outside(), "", spec.outside().ip(), present));
        for (NodeSpec n : spec.nodes()) {
            out.add(member(LabMember.Kind.NODE, n.name(), names.node(n.name()), "", n.ip(), present));
        }
        for (NodeSpec n : spec.nodes()) {
            out.add(member(LabMember.Kind.HEALTH, n.name() + "-health", names.health(n.name()), n.name(), n.healthIp(), present));
        }
        for (PodSpec p : spec.pods()) {
            out.add(member(LabMember.Kind.POD, p.qualifiedName(), names.pod(p), p.node(), p.ip(), present));
        }
        return out;
    }

    private static LabMember member(LabMember.Kind kind, String name, String ns, String node, Ipv4 ip, List<String> present) {
        boolean there = present.contains(ns);
        return new LabMember(kind, name, ns, node, ip, there, there ? Commands.pids(ns).size() : 0);
    }

    /** Whether every namespace is there and every member that serves ports has a process. */
    private boolean healthy() {
        for (LabMember m : members()) {
            if (!m.present()) {
                return false;
            }
            boolean serves = m.kind() == LabMember.Kind.POD ? spec.pod(m.name()).orElseThrow().ports().size() > 0
                    : m.kind() == LabMember.Kind.OUTSIDE && !spec.outside().ports().isEmpty();
            if (serves && m.processes() == 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "Lab[" + spec.name() + ", " + spec.nodes().size() + " nodes, " + spec.pods().size() + " pods]";
    }
}
