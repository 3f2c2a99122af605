package io.jbpf.cli;

import io.jbpf.netpolicy.agent.AgentClient;
import io.jbpf.netpolicy.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands that ask a node's agent, in the spirit of the {@code cilium} CLI: {@code status},
 * {@code endpoint list}, {@code identity list}, {@code policy import|get|delete},
 * {@code bpf endpoint list}, {@code bpf ipcache list}, {@code bpf policy get}.
 */
final class ClusterCommand {
    private ClusterCommand() {}

    /** Which agent to ask. */
    static final class Target {
        @Option(names = "--lab", paramLabel = "NAME", defaultValue = "default", description = "The lab (default: ${DEFAULT-VALUE}).")
        String lab;

        @Option(names = "--node", paramLabel = "NODE", description = "The node whose agent answers (default: the lab's first node).")
        String node;

        AgentClient client() {
            Lab l = Lab.open(lab);
            String n = node != null ? node : l.spec().nodes().get(0).name();
            return new AgentClient(AgentCommand.config(lab, n, null).socket());
        }
    }

    static void print(CommandSpec spec, String text) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
    }

    @Command(name = "status", description = "The agent's state: routing, IPAM, policy revision, controllers.")
    static final class Status implements Runnable {
        @Mixin
        Target target;

        @Option(names = "--verbose", description = "Also the allocated addresses.")
        boolean verbose;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("status", Map.of("verbose", verbose)));
        }
    }

    @Command(name = "endpoint", description = "The node's endpoints.", subcommands = EndpointList.class)
    static final class Endpoint {}

    @Command(name = "list", description = "Id, policy enforcement per direction, identity, labels, IPv4 and status of each endpoint.")
    static final class EndpointList implements Runnable {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("endpoint-list"));
        }
    }

    @Command(name = "identity", description = "Security identities.", subcommands = IdentityList.class)
    static final class Identity {}

    @Command(name = "list", description = "Every identity the node knows, with its labels.")
    static final class IdentityList implements Runnable {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("identity-list"));
        }
    }

    @Command(name = "policy", description = "Network policies (Kubernetes NetworkPolicy, CiliumNetworkPolicy).",
            subcommands = {PolicyImport.class, PolicyGet.class, PolicyDelete.class})
    static final class Policy {}

    @Command(name = "import", description = "Import the policies of a YAML file (refused whole if any is invalid).")
    static final class PolicyImport implements Runnable {
        @Mixin
        Target target;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            try {
                print(spec, target.client().call("policy-import", Map.of("yaml", Files.readString(file))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "get", description = "The imported policies and the revision.")
    static final class PolicyGet implements Runnable {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("policy-get"));
        }
    }

    @Command(name = "delete", description = "Delete a policy by name (NAMESPACE/NAME, or NAME in 'default').")
    static final class PolicyDelete implements Runnable {
        @Mixin
        Target target;

        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("policy-delete", Map.of("name", name)));
        }
    }

    @Command(name = "bpf", description = "The node's datapath maps.",
            subcommands = {BpfEndpoint.class, BpfIpcache.class, BpfPolicy.class})
    static final class Bpf {}

    @Command(name = "endpoint", description = "The endpoint map.", subcommands = BpfEndpointList.class)
    static final class BpfEndpoint {}

    @Command(name = "list", description = "Each local endpoint's address, id, identity and interface.")
    static final class BpfEndpointList implements Runnable {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("bpf-endpoint-list"));
        }
    }

    @Command(name = "ipcache", description = "The ipcache.", subcommands = BpfIpcacheList.class)
    static final class BpfIpcache {}

    @Command(name = "list", description = "Every prefix with its identity and node.")
    static final class BpfIpcacheList implements Runnable {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("bpf-ipcache-list"));
        }
    }

    @Command(name = "policy", description = "Policy map entries.", subcommands = BpfPolicyGet.class)
    static final class BpfPolicy {}

    @Command(name = "get", description = "The policy map entries of one endpoint.")
    static final class BpfPolicyGet implements Runnable {
        @Mixin
        Target target;

        @Parameters(paramLabel = "ENDPOINT")
        int endpoint;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("bpf-policy-get", Map.of("endpoint", endpoint)));
        }
    }
}
