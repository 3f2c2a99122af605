package io.jbpf.cli;

import io.jbpf.core.JbpfException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code jbpf} command: parses arguments, calls the library, prints. */
@Command(name = "jbpf", mixinStandardHelpOptions = true, versionProvider = VersionCommand.Provider.class,
        description = "Inspect and drive eBPF from Java, in the spirit of bpftool.",
        subcommands = {VersionCommand.class, FeatureCommand.class, ProgCommand.class, MapCommand.class, ObjectCommand.class, BtfCommand.class, GenCommand.class,
                AsmCommand.class, VmCommand.class, FilterCommand.class,
                LabCommand.class, AgentCommand.class, ClusterCommand.Status.class, ClusterCommand.Health.class, ClusterCommand.Endpoint.class,
                ClusterCommand.Identity.class, ClusterCommand.Policy.class, ClusterCommand.Service.class, ClusterCommand.Bpf.class, ClusterCommand.Observe.class, DemoCommand.class, ConnectivityCommand.class, ClusterCommand.Label.class,
                DisasmCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line on standard output and error; returns the exit code. */
    public static int run(String... args) {
        return run(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    /** Runs the command line, printing to {@code out} and {@code err}; returns the exit code. */
    public static int run(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof JbpfException || e instanceof IllegalArgumentException
                    || e instanceof java.io.UncheckedIOException) {
                cmd.getErr().println("jbpf: " + e.getMessage());
                cmd.getErr().flush();
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
