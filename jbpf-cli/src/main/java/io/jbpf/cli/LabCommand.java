package io.jbpf.cli;

import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabMember;
import io.jbpf.netpolicy.lab.LabSpec;
import io.jbpf.netpolicy.lab.PortSpec;
import io.jbpf.netpolicy.lab.serve.LabServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf lab up|down|status|exec|serve}: the cluster in network namespaces ({@link Lab}). */
@Command(name = "lab", description = "A Kubernetes-like cluster in network namespaces on this machine.",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Status.class, LabCommand.Exec.class,
                LabCommand.Serve.class})
final class LabCommand {
    static final String DEFAULT_NAME = "default";

    @Command(name = "up", description = "Bring a lab up (the built-in one unless --file is given).")
    static final class Up implements Runnable {
        @Option(names = "--file", paramLabel = "LAB.yaml", description = "The lab file (default: a built-in lab).")
        Path file;

        @Option(names = "--builtin", paramLabel = "LAB", defaultValue = "default",
                description = "Which built-in lab without --file: default (netpod, webpod1, webpod2) or e2e"
                        + " (namespaces x, y, z with pods a, b, c). Default: ${DEFAULT-VALUE}.")
        String builtin;

        @Option(names = "--name", paramLabel = "NAME", description = "The lab's name (default: the file's, else 'default').")
        String name;

        @Option(names = "--print", description = "Print the lab file (with every default filled in) instead.")
        boolean print;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            LabSpec s = file == null ? LabSpec.builtin(builtin) : LabSpec.read(file);
            if (name != null) {
                s = s.withName(name);
            }
            PrintWriter w = spec.commandLine().getOut();
            if (print) {
                w.print(s.toYaml());
                w.flush();
                return;
            }
            Lab lab = Lab.up(s);
            w.println("lab " + s.name() + " is up: " + s.nodes().size() + " nodes, " + s.pods().size() + " pods");
            printMembers(w, lab);
        }
    }

    @Command(name = "down", description = "Remove a lab: its processes, namespaces and state, even after a crash.")
    static final class Down implements Runnable {
        @Option(names = "--name", paramLabel = "NAME", description = "The lab's name (default: ${DEFAULT-VALUE}).",
                defaultValue = DEFAULT_NAME)
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            boolean had = Lab.down(name);
            spec.commandLine().getOut().println(had ? "lab " + name + " removed" : "no lab " + name + " to remove");
        }
    }

    @Command(name = "status", description = "The labs on this machine and their namespaces.")
    static final class Status implements Runnable {
        @Option(names = "--name", paramLabel = "NAME", description = "Only this lab.")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter w = spec.commandLine().getOut();
            List<String> existing = Lab.list();
            List<String> names = name == null ? existing : List.of(name);
            if (names.isEmpty()) {
                w.println("no lab is up (jbpf lab up brings the built-in one up)");
            }
            for (String n : names) {
                if (!existing.contains(n)) {
                    w.println("no lab " + n);
                    continue;
                }
                Lab lab;
                try {
                    lab = Lab.open(n);
                } catch (io.jbpf.netpolicy.lab.LabException e) {
                    w.println("lab " + n + ": namespaces without a state (left by a crash?); remove them with: jbpf lab down --name " + n);
                    continue;
                }
                w.println("lab " + n + ":");
                printMembers(w, lab);
            }
            w.flush();
        }
    }

    static void printMembers(PrintWriter w, Lab lab) {
        String row = "%-9s %-20s %-15s %-8s %-8s %-40s %s%n";
        w.printf(row, "KIND", "NAME", "IP", "NODE", "STATE", "NAMESPACE", "SERVES");
        for (LabMember m : lab.members()) {
            String state = !m.present() ? "missing" : m.processes() > 0 ? "serving" : "up";
            List<PortSpec> ports = m.kind() == LabMember.Kind.POD ? lab.spec().pod(m.name()).orElseThrow().ports()
                    : m.kind() == LabMember.Kind.OUTSIDE ? lab.spec().outside().ports() : List.of();
            String serves = ports.isEmpty() ? "-" : ports.stream().map(LabCommand::port).collect(Collectors.joining(","));
            w.printf(row, m.kind().name().toLowerCase(Locale.ROOT), m.name(), m.ip() == null ? "-" : m.ip().toString(),
                    m.node().isEmpty() ? "-" : m.node(), state, m.namespace(), serves);
        }
        w.flush();
    }

    private static String port(PortSpec p) {
        return p.port() + "/" + p.protocol().name().toLowerCase(Locale.ROOT) + " " + p.server().name().toLowerCase(Locale.ROOT);
    }

    @Command(name = "exec", description = "Run a command in a pod's (or node's, or 'outside') network namespace.")
    static final class Exec implements Callable<Integer> {
        @Option(names = "--name", paramLabel = "NAME", description = "The lab's name (default: ${DEFAULT-VALUE}).",
                defaultValue = DEFAULT_NAME)
        String name;

        @Parameters(index = "0", paramLabel = "POD", description = "A pod (NAMESPACE/NAME or NAME), a node, or outside.")
        String member;

        @Parameters(index = "1..*", paramLabel = "CMD", arity = "1..*", description = "The command, after --.")
        List<String> command = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Lab lab = Lab.open(name);
            Process p = new ProcessBuilder(lab.commandIn(member, command))
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
            Thread out = copy(p.getInputStream(), spec.commandLine().getOut());
            Thread err = copy(p.getErrorStream(), spec.commandLine().getErr());
            int code = p.waitFor();
            out.join();
            err.join();
            return code;
        }

        private static Thread copy(InputStream in, PrintWriter to) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try (in) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        to.print(new String(buf, 0, n, StandardCharsets.UTF_8));
                        to.flush();
                    }
                } catch (IOException e) {
                    // the command went away
                }
            });
            t.start();
            return t;
        }
    }

    @Command(name = "serve", description = "Run the lab's built-in servers here until killed (as the lab does in pods).")
    static final class Serve implements Callable<Integer> {
        @Option(names = "--hostname", required = true, description = "The name whoami answers with.")
        String hostname;

        @Option(names = "--whoami", paramLabel = "PORT", description = "Serve HTTP like traefik/whoami on TCP PORT.")
        List<Integer> whoami = new ArrayList<>();

        @Option(names = "--tcp-echo", paramLabel = "PORT", description = "Echo on TCP PORT.")
        List<Integer> tcpEcho = new ArrayList<>();

        @Option(names = "--udp-echo", paramLabel = "PORT", description = "Echo on UDP PORT.")
        List<Integer> udpEcho = new ArrayList<>();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            List<PortSpec> ports = new ArrayList<>();
            whoami.forEach(p -> ports.add(new PortSpec("", p, PortSpec.Protocol.TCP, PortSpec.Server.WHOAMI)));
            tcpEcho.forEach(p -> ports.add(new PortSpec("", p, PortSpec.Protocol.TCP, PortSpec.Server.ECHO)));
            udpEcho.forEach(p -> ports.add(new PortSpec("", p, PortSpec.Protocol.UDP, PortSpec.Server.ECHO)));
            if (ports.isEmpty()) {
                throw new IllegalArgumentException("nothing to serve: give --whoami, --tcp-echo or --udp-echo");
            }
            LabServer server = LabServer.start(hostname, ports);
            try {
                spec.commandLine().getOut().println("serving " + ports.size() + " port(s) as " + hostname);
                spec.commandLine().getOut().flush();
                Thread.currentThread().join();
            } finally {
                server.close();
            }
            return 0;
        }
    }
}
