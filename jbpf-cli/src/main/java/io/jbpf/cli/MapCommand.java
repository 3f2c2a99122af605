package io.jbpf.cli;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapInfo;
import io.jbpf.core.map.MapSpec;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf map list|show ID|dump ID}: maps in the kernel, as {@code bpftool map} prints them. */
@Command(name = "map", description = "Inspect maps.", subcommands = {MapCommand.ListCmd.class, MapCommand.ShowCmd.class,
        MapCommand.DumpCmd.class, MapCommand.GetCmd.class})
final class MapCommand {

    static Map<String, Object> toJson(MapInfo info) {
        MapSpec s = info.spec();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", info.id());
        m.put("type", s.type().name().toLowerCase(Locale.ROOT));
        m.put("name", s.name());
        m.put("flags", s.flags());
        m.put("bytes_key", s.keySize());
        m.put("bytes_value", s.valueSize());
        m.put("max_entries", s.maxEntries());
        if (info.btfId() != 0) {
            m.put("btf_id", info.btfId());
        }
        return m;
    }

    static void show(OutputOptions out, PrintWriter w, MapInfo info) {
        if (out.isJson()) {
            w.println(out.toJson(toJson(info)));
            return;
        }
        MapSpec s = info.spec();
        w.printf("%d: %s  name %s  flags 0x%x%n", info.id(), s.type().name().toLowerCase(Locale.ROOT), s.name(), s.flags());
        w.printf("\tkey %dB  value %dB  max_entries %d%s%n", s.keySize(), s.valueSize(), s.maxEntries(),
                info.btfId() != 0 ? "  btf_id " + info.btfId() : "");
    }

    @Command(name = "list", aliases = "show-all", description = "List every map.")
    static final class ListCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Option(names = "--node", paramLabel = "NODE", description = "Instead: the datapath maps of this node of a lab"
                + " (as cilium map list shows them), asked of its agent.")
        String node;

        @Option(names = "--lab", paramLabel = "NAME", defaultValue = "default", description = "With --node: the lab (default: ${DEFAULT-VALUE}).")
        String lab;

        @Override
        public void run() {
            if (node != null) {
                ClusterCommand.print(spec, new io.jbpf.netpolicy.agent.AgentClient(AgentCommand.config(lab, node, null).socket())
                        .call("map-list"));
                return;
            }
            Listing.print(out, spec.commandLine().getOut(), MapInfo.ids(), MapInfo::ofId, MapCommand::toJson,
                    (w, info) -> show(out, w, info));
        }
    }

    @Command(name = "get", description = "The entries of one of a lab node's datapath maps, by name (jbpf_lxc,"
            + " jbpf_ipcache, jbpf_policy, jbpf_ct, jbpf_counters), as cilium map get shows them.")
    static final class GetCmd implements Runnable {
        @Mixin
        ClusterCommand.Target target;

        @picocli.CommandLine.Parameters(paramLabel = "NAME")
        String name;

        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ClusterCommand.print(spec, target.client().call("map-get", java.util.Map.of("name", name)));
        }
    }

    @Command(name = "show", description = "Show one map.")
    static final class ShowCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The map's id.")
        int id;

        @Override
        public void run() {
            PrintWriter w = spec.commandLine().getOut();
            show(out, w, MapInfo.ofId(id));
            w.flush();
        }
    }

    @Command(name = "dump", description = "Print every entry of a map in hex.")
    static final class DumpCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ID", description = "The map's id.")
        int id;

        @Override
        public void run() {
            PrintWriter w = spec.commandLine().getOut();
            List<Map<String, Object>> json = new ArrayList<>();
            try (KernelMap m = KernelMap.fromId(id)) {
                int keySize = m.spec().keySize();
                if (keySize == 0) {
                    throw new IllegalArgumentException("map " + id + " (" + m.spec().type()
                            + ") has no keys to walk: it is a queue, stack, ring buffer or bloom filter");
                }
                byte[] key = null;
                byte[] next = new byte[keySize];
                byte[] value = new byte[m.valueBufferSize()];
                int n = 0;
                while (m.nextKey(key, next)) {
                    key = next.clone();
                    if (!m.lookup(key, value)) {
                        continue; // deleted while we walked
                    }
                    n++;
                    if (out.isJson()) {
                        Map<String, Object> e = new LinkedHashMap<>();
                        e.put("key", Hex.format(key, 0, key.length));
                        e.put("value", Hex.format(value, 0, value.length));
                        json.add(e);
                    } else {
                        w.printf("key: %s  value: %s%n", Hex.format(key, 0, key.length), Hex.format(value, 0, value.length));
                    }
                }
                if (out.isJson()) {
                    w.println(out.toJson(json));
                } else {
                    w.printf("Found %d element%s%n", n, n == 1 ? "" : "s");
                }
            }
            w.flush();
        }
    }
}
