package io.jbpf.benchmarks;

import io.jbpf.netpolicy.agent.Agent;
import io.jbpf.netpolicy.agent.AgentConfig;
import io.jbpf.netpolicy.lab.Lab;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One node's agent as a process of its own, as the service benchmark runs it (a real agent is a
 * daemon beside the workload, not in its JVM): {@code LabAgentProcess LAB NODE PIN_DIR} starts the
 * agent, prints {@code ready} and runs until its standard input closes.
 */
public final class LabAgentProcess {
    private LabAgentProcess() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: LabAgentProcess LAB NODE PIN_DIR");
            System.exit(2);
        }
        Lab lab = Lab.open(args[0]);
        try (Agent agent = Agent.start(lab.spec(),
                new AgentConfig(args[1], lab.stateDir().resolve("cluster"), Path.of(args[2])))) {
            System.out.println("ready " + agent.config().node());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the benchmark closes the pipe
            }
        }
    }
}
