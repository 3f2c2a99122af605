package io.jbpf.cli;

import io.jbpf.core.map.MapSpec;
import io.jbpf.loader.BpfObject;
import io.jbpf.loader.ObjectSpec;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf object show|load FILE}: what an object built by clang holds, and loading it. */
@Command(name = "object", description = "Inspect and load eBPF object files built by clang.",
        subcommands = {ObjectCommand.ShowCmd.class, ObjectCommand.LoadCmd.class})
final class ObjectCommand {

    static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    @Command(name = "show", description = "Print an object's programs, maps and global data without loading it.")
    static final class ShowCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The object file.")
        Path file;

        @Override
        public void run() {
            ObjectSpec obj = ObjectSpec.open(file);
            PrintWriter w = spec.commandLine().getOut();
            if (out.isJson()) {
                Map<String, Object> json = new LinkedHashMap<>();
                List<Map<String, Object>> progs = new ArrayList<>();
                obj.programs().forEach((name, p) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", name);
                    m.put("type", lower(p.type()));
                    p.expectedAttachType().ifPresent(t -> m.put("attach_type", lower(t)));
                    m.put("insns", p.instructionCount());
                    m.put("maps", p.mapReferences().stream().map(r -> r.mapName()).distinct().toList());
                    progs.add(m);
                });
                List<Map<String, Object>> maps = new ArrayList<>();
                obj.maps().forEach((name, s) -> maps.add(mapJson(name, s, obj)));
                json.put("programs", progs);
                json.put("maps", maps);
                json.put("btf", obj.btf().map(b -> b.types().size() - 1).orElse(0));
                w.println(out.toJson(json));
            } else {
                w.println("programs:");
                obj.programs().forEach((name, p) -> w.printf("  %s  %s%s  %d insns  maps %s%n", name, lower(p.type()),
                        p.expectedAttachType().map(t -> " (" + lower(t) + ")").orElse(""), p.instructionCount(),
                        p.mapReferences().stream().map(r -> r.mapName()).distinct().toList()));
                w.println("maps:");
                obj.maps().forEach((name, s) -> w.printf("  %s  %s  key %dB  value %dB  max_entries %d  flags 0x%x%s%n",
                        name, lower(s.type()), s.keySize(), s.valueSize(), s.maxEntries(), s.flags(),
                        obj.readOnly(name) ? "  read-only data" : obj.initialValue(name).isPresent() ? "  global data" : ""));
                w.printf("btf: %s%n", obj.btf().map(b -> (b.types().size() - 1) + " types").orElse("none"));
            }
            w.flush();
        }

        private static Map<String, Object> mapJson(String name, MapSpec s, ObjectSpec obj) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("type", lower(s.type()));
            m.put("bytes_key", s.keySize());
            m.put("bytes_value", s.valueSize());
            m.put("max_entries", s.maxEntries());
            m.put("flags", s.flags());
            m.put("global_data", obj.initialValue(name).isPresent());
            return m;
        }
    }

    @Command(name = "load", description = "Load every map and program of an object; print their ids.")
    static final class LoadCmd implements Runnable {
        @Mixin
        OutputOptions out;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The object file.")
        Path file;

        @Option(names = "--pin", paramLabel = "DIR", description = "Pin programs and maps in this bpffs directory "
                + "(they stay loaded after jbpf exits).")
        Path pinDir;

        @Override
        public void run() {
            ObjectSpec obj = ObjectSpec.open(file);
            PrintWriter w = spec.commandLine().getOut();
            try (BpfObject loaded = BpfObject.load(obj)) {
                if (pinDir != null) {
                    try {
                        Files.createDirectories(pinDir);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException("cannot create " + pinDir, e);
                    }
                    loaded.programs().forEach((name, p) -> p.pin(pinDir.resolve(name).toString()));
                    loaded.maps().forEach((name, m) -> m.pin(pinDir.resolve(name.replace('.', '_')).toString()));
                }
                Map<String, Object> json = new LinkedHashMap<>();
                Map<String, Integer> progs = new LinkedHashMap<>();
                Map<String, Integer> maps = new LinkedHashMap<>();
                loaded.programs().forEach((name, p) -> progs.put(name, p.id()));
                loaded.maps().forEach((name, m) -> maps.put(name, m.id()));
                if (out.isJson()) {
                    json.put("programs", progs);
                    json.put("maps", maps);
                    w.println(out.toJson(json));
                } else {
                    progs.forEach((name, id) -> w.printf("program %s  id %d%n", name, id));
                    maps.forEach((name, id) -> w.printf("map %s  id %d%n", name, id));
                    if (pinDir == null) {
                        w.println("(not pinned: everything is unloaded as jbpf exits; use --pin DIR to keep it)");
                    }
                }
            }
            w.flush();
        }
    }

    private ObjectCommand() {}
}
