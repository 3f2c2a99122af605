package io.jbpf.cli;

import io.jbpf.netpolicy.lab.Lab;
import io.jbpf.netpolicy.lab.LabConnectivity;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code jbpf connectivity probe}: every pod pair of a lab on the ports the pods serve. */
@Command(name = "connectivity", description = "Reachability between the pods of a lab.", subcommands = ConnectivityCommand.Probe.class)
final class ConnectivityCommand {
    @Command(name = "probe", description = {"Try every pod pair on every port the destination serves, all at once (TCP: a"
            + " request and its answer; UDP: an echo) and print one matrix per port: rows are clients, columns servers,"
            + " '.' reachable, 'X' nothing came back, '?' something else (listed below the matrices)."})
    static final class Probe implements Runnable {
        @Option(names = "--lab", paramLabel = "NAME", defaultValue = "default", description = "The lab (default: ${DEFAULT-VALUE}).")
        String lab;

        @Option(names = "--timeout", paramLabel = "MS", defaultValue = "1000", description = "How long an attempt waits for an answer (default: ${DEFAULT-VALUE} ms).")
        long timeoutMs;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Lab l = Lab.open(lab);
            List<LabConnectivity.Attempt> attempts = LabConnectivity.probe(l, Duration.ofMillis(timeoutMs));
            long ok = attempts.stream().filter(LabConnectivity.Attempt::reachable).count();
            spec.commandLine().getOut().print(LabConnectivity.matrices(l, attempts));
            spec.commandLine().getOut().printf("%d of %d attempts reachable%n", ok, attempts.size());
            spec.commandLine().getOut().flush();
        }
    }
}
