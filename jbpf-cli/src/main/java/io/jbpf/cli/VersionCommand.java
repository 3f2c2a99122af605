package io.jbpf.cli;

import io.jbpf.core.internal.sys.Sys;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code jbpf version}: the jbpf version, the native backend in use, the JVM and the kernel. */
@Command(name = "version", description = "Print the version of jbpf, its native backend, the JVM and the kernel.")
final class VersionCommand implements Runnable {
    @Mixin
    OutputOptions out;

    @Spec
    CommandSpec spec;

    static String jbpfVersion() {
        String v = VersionCommand.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("version", jbpfVersion());
        facts.put("backend", Sys.get().name());
        facts.put("java", Runtime.version().toString());
        facts.put("kernel", System.getProperty("os.version"));
        facts.put("arch", System.getProperty("os.arch"));
        return facts;
    }

    @Override
    public void run() {
        PrintWriter w = spec.commandLine().getOut();
        Map<String, String> facts = facts();
        if (out.isJson()) {
            w.println(out.toJson(facts));
        } else {
            w.printf("jbpf %s%n  backend %s, Java %s, Linux %s (%s)%n", facts.get("version"), facts.get("backend"),
                    facts.get("java"), facts.get("kernel"), facts.get("arch"));
        }
        w.flush();
    }

    /** For {@code jbpf --version}. */
    static final class Provider implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jbpf " + jbpfVersion()};
        }
    }
}
