package io.jbpf.cli;

import io.jbpf.core.features.FeatureReport;
import io.jbpf.core.features.Features;
import io.jbpf.core.features.Support;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jbpf feature probe}: what this kernel supports, as {@code bpftool feature probe} prints it. */
@Command(name = "feature", description = "Probe kernel features.", subcommands = FeatureCommand.Probe.class)
final class FeatureCommand {

    @Command(name = "probe", description = "Probe program, map and attach types and helpers of this kernel.")
    static final class Probe implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        private static String lower(Enum<?> e) {
            return e.name().toLowerCase(Locale.ROOT);
        }

        private static String verdict(Support s) {
            return switch (s) {
                case SUPPORTED -> "is available";
                case KNOWN_BY_BTF -> "is known to the kernel (not probed)";
                case UNSUPPORTED -> "is NOT available";
            };
        }

        @Override
        public void run() {
            FeatureReport r = Features.probeAll();
            PrintWriter w = spec.commandLine().getOut();
            if (out.isJson()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("kernel", r.kernel());
                json.put("program_types", byName(r.programTypes(), "have_%s_prog_type"));
                json.put("map_types", byName(r.mapTypes(), "have_%s_map_type"));
                json.put("attach_types", byName(r.attachTypes(), "have_%s_attach_type"));
                Map<String, List<String>> helpers = new TreeMap<>();
                r.helpers().forEach((t, names) -> helpers.put(lower(t) + "_available_helpers",
                        names.stream().map(n -> "bpf_" + n).toList()));
                json.put("helpers", helpers);
                w.println(out.toJson(json));
                w.flush();
                return;
            }
            w.println("Linux " + r.kernel());
            w.println();
            w.println("Scanning eBPF program types...");
            new TreeMap<>(r.programTypes()).forEach((t, s) -> w.println("eBPF program_type " + lower(t) + " " + verdict(s)));
            w.println();
            w.println("Scanning eBPF map types...");
            new TreeMap<>(r.mapTypes()).forEach((t, s) -> w.println("eBPF map_type " + lower(t) + " " + verdict(s)));
            w.println();
            w.println("Scanning eBPF attach types...");
            new TreeMap<>(r.attachTypes()).forEach((t, s) -> w.println("eBPF attach_type " + lower(t) + " " + verdict(s)));
            w.println();
            w.println("Scanning eBPF helper functions...");
            new TreeMap<>(r.helpers()).forEach((t, names) -> {
                w.println("eBPF helpers supported for program type " + lower(t) + ":");
                names.forEach(n -> w.println("\t- bpf_" + n));
            });
            w.flush();
        }

        private static <E extends Enum<E>> Map<String, Boolean> byName(Map<E, Support> m, String format) {
            Map<String, Boolean> out = new TreeMap<>();
            m.forEach((t, s) -> out.put(String.format(format, lower(t)), s.available()));
            return out;
        }
    }
}
