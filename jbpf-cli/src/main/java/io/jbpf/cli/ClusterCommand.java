package io.jbpf.cli;

import io.jbpf.netpolicy.agent.AgentClient;
import io.jbpf.netpolicy.lab.Lab;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The commands that ask a node's agent, in the spirit of the {@code cilium} CLI: {@code status},
 * {@code health} (as {@code cilium-health status}),
 * {@code endpoint list}, {@code identity list}, {@code policy import|get|delete},
 * {@code service import|list|delete}, {@code bpf endpoint list}, {@code bpf ipcache list},
 * {@code bpf policy get}, {@code bpf lb list}.
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

    /** A command that asks the agent one thing without arguments and prints the answer. */
    abstract static class Query implements Runnable {
        @Mixin
        Target target;

        @Spec
        CommandSpec spec;

        /** The agent's command. */
        abstract String command();

        @Override
        public void run() {
            print(spec, target.client().call(command()));
        }
    }

    @Command(name = "status", description = "The agent's state: routing, IPAM, policy revision, controllers, cluster health.")
    static final class Status implements Runnable {
        @Mixin
        Target target;

        @Option(names = "--verbose", description = "Also each node's health probes and the allocated addresses.")
        boolean verbose;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            print(spec, target.client().call("status", Map.of("verbose", verbose)));
        }
    }

    @Command(name = "health", description = {"The node's last health probes of every node, as cilium-health status:"
            + " an HTTP GET /hello to port 4240 of each node's address (its agent) and of its health endpoint,"
            + " sent from the node's namespace, with the round trip time or why it failed."})
    static final class Health extends Query {
        @Override
        String command() {
            return "health";
        }
    }

    @Command(name = "endpoint", description = "The node's endpoints.", subcommands = EndpointList.class)
    static final class Endpoint {}

    @Command(name = "list", description = "Id, policy enforcement per direction, identity, labels, IPv4 and status of each endpoint.")
    static final class EndpointList extends Query {
        @Override
        String command() {
            return "endpoint-list";
        }
    }

    @Command(name = "identity", description = "Security identities.", subcommands = IdentityList.class)
    static final class Identity {}

    @Command(name = "list", description = "Every identity the node knows, with its labels.")
    static final class IdentityList extends Query {
        @Override
        String command() {
            return "identity-list";
        }
    }

    @Command(name = "policy", description = "Network policies (Kubernetes NetworkPolicy, CiliumNetworkPolicy).",
            subcommands = {PolicyImport.class, PolicyGet.class, PolicyDelete.class})
    static final class Policy {}

    @Command(name = "import", description = "Import the policies of a YAML file (refused whole if any is invalid).")
    static final class PolicyImport extends FileImport {
        @Override
        String command() {
            return "policy-import";
        }
    }

    /** Sends a YAML file to the agent with {@link #command()}. */
    abstract static class FileImport implements Runnable {
        @Mixin
        Target target;

        @Parameters(paramLabel = "FILE")
        Path file;

        @Spec
        CommandSpec spec;

        abstract String command();

        @Override
        public void run() {
            try {
                print(spec, target.client().call(command(), Map.of("yaml", Files.readString(file))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "get", description = "The imported policies and the revision.")
    static final class PolicyGet extends Query {
        @Override
        String command() {
            return "policy-get";
        }
    }

    @Command(name = "delete", description = "Delete a policy by name (NAMESPACE/NAME, or NAME in 'default').")
    static final class PolicyDelete extends NamedDelete {
        @Override
        String command() {
            return "policy-delete";
        }
    }

    /** Asks the agent to delete an object by name with {@link #command()}. */
    abstract static class NamedDelete implements Runnable {
        @Mixin
        Target target;

        @Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        abstract String command();

        @Override
        public void run() {
            print(spec, target.client().call(command(), Map.of("name", name)));
        }
    }

    @Command(name = "service", description = "Kubernetes Services and their EndpointSlices, balanced by every node's datapath.",
            subcommands = {ServiceImport.class, ServiceList.class, ServiceDelete.class})
    static final class Service {}

    @Command(name = "import", description = {"Import the Services and EndpointSlices of a YAML file: each replaces the one"
        + " of the same kind, namespace and name; a slice may come alone when its service is already imported."
        + " Refused whole if anything is invalid."})
    static final class ServiceImport extends FileImport {
        @Override
        String command() {
            return "service-import";
        }
    }

    @Command(name = "list", description = "The frontends the node's service maps hold, with their backends"
            + " (as cilium service list).")
    static final class ServiceList extends Query {
        @Override
        String command() {
            return "service-list";
        }
    }

    @Command(name = "delete", description = "Delete a service and its EndpointSlices (NAMESPACE/NAME, or NAME in 'default').")
    static final class ServiceDelete extends NamedDelete {
        @Override
        String command() {
            return "service-delete";
        }
    }

    @Command(name = "bpf", description = "The node's datapath maps.",
            subcommands = {BpfEndpoint.class, BpfIpcache.class, BpfPolicy.class, BpfCt.class, BpfNat.class, BpfLb.class})
    static final class Bpf {}

    @Command(name = "lb", description = "The service maps.", subcommands = BpfLbList.class)
    static final class BpfLb {}

    @Command(name = "list", description = "Each frontend's slot 0 and its backend slots (as cilium bpf lb list).")
    static final class BpfLbList extends Query {
        @Override
        String command() {
            return "bpf-lb-list";
        }
    }

    @Command(name = "endpoint", description = "The endpoint map.", subcommands = BpfEndpointList.class)
    static final class BpfEndpoint {}

    @Command(name = "list", description = "Each local endpoint's address, id, identity and interface.")
    static final class BpfEndpointList extends Query {
        @Override
        String command() {
            return "bpf-endpoint-list";
        }
    }

    @Command(name = "ipcache", description = "The ipcache.", subcommands = BpfIpcacheList.class)
    static final class BpfIpcache {}

    @Command(name = "list", description = "Every prefix with its identity and node.")
    static final class BpfIpcacheList extends Query {
        @Override
        String command() {
            return "bpf-ipcache-list";
        }
    }

    @Command(name = "ct", description = "The connection tracking table.", subcommands = {BpfCtList.class, BpfCtFlush.class})
    static final class BpfCt {}

    @Command(name = "list", description = "Every tracked connection, with its lifetime, counters and flags.")
    static final class BpfCtList extends Query {
        @Override
        String command() {
            return "bpf-ct-list";
        }
    }

    @Command(name = "flush", description = "Forget every tracked connection (new packets are judged by policy again).")
    static final class BpfCtFlush extends Query {
        @Override
        String command() {
            return "bpf-ct-flush";
        }
    }

    @Command(name = "nat", description = "The masquerade's translations.", subcommands = BpfNatList.class)
    static final class BpfNat {}

    @Command(name = "list", description = "Every translation: outgoing flows with the source they leave with (OUT),"
            + " replies with the destination they get back (IN).")
    static final class BpfNatList extends Query {
        @Override
        String command() {
            return "bpf-nat-list";
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

    @Command(name = "observe", description = {"Flows the datapaths saw, as hubble observe shows them: drops with their"
            + " reason and allowed connections' first packets, from every node's agent (or one), oldest first."})
    static final class Observe implements Runnable {
        @Option(names = "--lab", paramLabel = "NAME", defaultValue = "default", description = "The lab (default: ${DEFAULT-VALUE}).")
        String lab;

        @Option(names = "--node", paramLabel = "NODE", description = "Only this node's flows (default: every node).")
        String node;

        @Option(names = {"--last", "-n"}, paramLabel = "N", defaultValue = "20", description = "How many (per node; default ${DEFAULT-VALUE}).")
        int last;

        @Option(names = {"--follow", "-f"}, description = "Keep printing new flows until interrupted.")
        boolean follow;

        @Option(names = "--pod", paramLabel = "[NS/]POD", description = "Flows from or to this pod.")
        String pod;

        @Option(names = "--namespace", paramLabel = "NS", description = "Flows from or to this namespace.")
        String namespace;

        @Option(names = "--verdict", paramLabel = "VERDICT", description = "DROPPED or FORWARDED.")
        String verdict;

        @Option(names = "--protocol", paramLabel = "PROTO", description = "tcp, udp, icmp or sctp.")
        String protocol;

        @Option(names = "--port", paramLabel = "PORT", description = "Flows from or to this port.")
        int port;

        @Option(names = "--identity", paramLabel = "ID", description = "Flows from or to this identity.")
        int identity;

        @Option(names = {"--output", "-o"}, paramLabel = "FORMAT", defaultValue = "compact", description = "compact or json.")
        String output;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (!output.equals("compact") && !output.equals("json")) {
                throw new IllegalArgumentException("--output is compact or json, not " + output);
            }
            Lab l = Lab.open(lab);
            Map<String, AgentClient> clients = new java.util.LinkedHashMap<>();
            for (var n : l.spec().nodes()) {
                if (node == null || node.equals(n.name())) {
                    clients.put(n.name(), new AgentClient(AgentCommand.config(lab, n.name(), null).socket()));
                }
            }
            if (clients.isEmpty()) {
                throw new IllegalArgumentException("lab " + lab + " has no node " + node);
            }
            Map<String, Object> filter = new java.util.HashMap<>();
            java.util.function.BiConsumer<String, Object> put = (k, v) -> {
                if (v != null && !(v instanceof Integer && (Integer) v == 0)) {
                    filter.put(k, v);
                }
            };
            put.accept("pod", pod);
            put.accept("namespace", namespace);
            put.accept("verdict", verdict);
            put.accept("protocol", protocol);
            put.accept("port", port);
            put.accept("identity", identity);
            Map<String, Long> since = new java.util.HashMap<>();
            int limit = last;
            do {
                java.util.List<AgentClient.ObservedFlow> batch = new java.util.ArrayList<>();
                for (Map.Entry<String, AgentClient> c : clients.entrySet()) {
                    AgentClient.Observed o = c.getValue().observe(since.getOrDefault(c.getKey(), 0L), limit, filter);
                    batch.addAll(o.flows());
                    since.put(c.getKey(), o.last());
                }
                batch.sort(java.util.Comparator.comparingLong(AgentClient.ObservedFlow::timeNanos));
                for (AgentClient.ObservedFlow f : batch) {
                    spec.commandLine().getOut().println(output.equals("json") ? f.json() : f.compact());
                }
                spec.commandLine().getOut().flush();
                limit = Integer.MAX_VALUE;
                if (follow) {
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            } while (follow);
        }
    }

    @Command(name = "label", description = {"Change the labels of a pod or a namespace, as kubectl label does:"
            + " KEY=VALUE adds or replaces, KEY- removes. Every agent re-evaluates identities and policy."})
    static final class Label implements Runnable {
        @Mixin
        Target target;

        @Parameters(index = "0", paramLabel = "pod|namespace")
        String kind;

        @Parameters(index = "1", paramLabel = "NAME")
        String name;

        @Parameters(index = "2..*", paramLabel = "KEY=VALUE|KEY-", arity = "1..*")
        List<String> changes;

        @Option(names = {"--namespace", "-n"}, paramLabel = "NS", defaultValue = "default", description = "The pod's namespace (default: ${DEFAULT-VALUE}).")
        String namespace;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (!kind.equals("pod") && !kind.equals("namespace")) {
                throw new IllegalArgumentException("label what: pod or namespace, not " + kind);
            }
            Map<String, String> set = new java.util.LinkedHashMap<>();
            List<String> remove = new java.util.ArrayList<>();
            for (String c : changes) {
                if (c.endsWith("-") && !c.contains("=")) {
                    remove.add(c.substring(0, c.length() - 1));
                } else if (c.indexOf('=') > 0) {
                    set.put(c.substring(0, c.indexOf('=')), c.substring(c.indexOf('=') + 1));
                } else {
                    throw new IllegalArgumentException("'" + c + "' is neither KEY=VALUE nor KEY-");
                }
            }
            print(spec, target.client().call("label", Map.of("kind", kind, "name", name, "namespace", namespace,
                    "set", set, "remove", remove)));
        }
    }
}
