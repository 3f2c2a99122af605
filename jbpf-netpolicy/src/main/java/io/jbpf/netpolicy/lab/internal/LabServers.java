package io.jbpf.netpolicy.lab.internal;

import io.jbpf.netpolicy.lab.LabException;
import io.jbpf.netpolicy.lab.PortSpec;
import io.jbpf.netpolicy.lab.serve.LabServer;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts the built-in servers of a lab: one {@link LabServer} process per namespace that serves
 * ports, in its own session ({@code setsid}) under {@code ip netns exec}, so that it outlives the
 * command that started it; {@code down} ends it by finding it in the namespace.
 */
public final class LabServers {
    /** How long the servers of a whole lab may take to bind their ports (JVM start on a busy machine). */
    private static final long READY_TIMEOUT_MS = 60_000;

    private final Path stateDir;
    private final Map<String, Process> started = new LinkedHashMap<>();
    private final Map<String, Path> ready = new LinkedHashMap<>();

    public LabServers(Path stateDir) {
        this.stateDir = stateDir;
    }

    /** Starts the servers of {@code ports} in {@code netns}, answering as {@code hostname}. */
    public void start(String netns, String hostname, List<PortSpec> ports) {
        if (ports.isEmpty()) {
            return;
        }
        Path readyFile = stateDir.resolve(netns + ".ready");
        Path log = stateDir.resolve(netns + ".log");
        List<String> cmd = new ArrayList<>(List.of("setsid", "ip", "netns", "exec", netns,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx32m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "-cp", classPath(), LabServer.class.getName()));
        cmd.addAll(LabServer.arguments(hostname, ports, Optional.of(readyFile)));
        try {
            Files.deleteIfExists(readyFile);
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            started.put(netns, p);
            ready.put(netns, readyFile);
        } catch (IOException e) {
            throw new LabException("cannot start the servers of " + netns + ": " + e.getMessage(), e);
        }
    }

    /** Waits until every started server has bound its ports; a server that died fails with its log. */
    public void awaitReady() {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        for (Map.Entry<String, Path> e : ready.entrySet()) {
            Process p = started.get(e.getKey());
            while (!Files.exists(e.getValue())) {
                if (!p.isAlive()) {
                    throw new LabException("the servers of " + e.getKey() + " exited with " + p.exitValue() + ": "
                            + log(e.getKey()));
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new LabException("the servers of " + e.getKey() + " did not bind their ports within "
                            + READY_TIMEOUT_MS / 1000 + " s: " + log(e.getKey()));
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new LabException("interrupted waiting for the lab's servers", ie);
                }
            }
        }
    }

    private String log(String netns) {
        try {
            return Files.readString(stateDir.resolve(netns + ".log"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    /** The jar or class folder holding {@link LabServer}: all it needs besides the JDK. */
    private static String classPath() {
        try {
            return Path.of(LabServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | RuntimeException e) {
            throw new LabException("cannot find where LabServer was loaded from: " + e, e);
        }
    }
}
