package io.jbpf.cli;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One {@code .data} file of the bpf_conformance suite: its sections ({@code -- asm}, {@code -- raw},
 * {@code -- mem}, {@code -- result}, {@code -- error}, {@code -- map}), read as the suite's own
 * parser reads them, except that an {@code -- error} section, even an empty one, means the program
 * is expected to fail.
 */
record ConformanceCase(String name, String asm, String raw, byte[] memory, Long result, boolean expectsError,
        String error, Map<String, MapSpec> maps) {

    static final String ROOT = "bpf_conformance/tests";

    private static List<ConformanceCase> all;

    /** Every case of the suite in the test resources, sorted by name (read once). */
    static synchronized List<ConformanceCase> all() {
        if (all == null) {
            all = read();
        }
        return all;
    }

    private static List<ConformanceCase> read() {
        try {
            Path root = Path.of(ConformanceCase.class.getClassLoader().getResource(ROOT).toURI());
            try (Stream<Path> files = Files.walk(root)) {
                return files.filter(p -> p.toString().endsWith(".data")).sorted()
                        .map(p -> parse(root.relativize(p).toString(), readString(p))).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ConformanceCase parse(String name, String text) {
        Map<String, StringBuilder> sections = new LinkedHashMap<>();
        StringBuilder current = null;
        for (String line : text.split("\n")) {
            line = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            if (line.startsWith("--")) {
                String s = line.substring(2).trim();
                current = new StringBuilder();
                sections.put(s, current);
                continue;
            }
            if (current != null) {
                current.append(line).append('\n');
            }
        }
        String mem = section(sections, "mem");
        byte[] memory = mem == null ? new byte[0]
                : HexFormat.of().parseHex(mem.replaceAll("(?m)#.*$", "").replaceAll("\\s+", ""));
        String res = section(sections, "result");
        Long result = null;
        if (res != null && !res.isBlank()) {
            String r = res.trim().lines().reduce((a, b) -> b).orElse("").trim();
            result = r.startsWith("0x") ? new BigInteger(r.substring(2), 16).longValue() : new BigInteger(r).longValue();
        }
        Map<String, MapSpec> maps = new LinkedHashMap<>();
        String mapSection = section(sections, "map");
        if (mapSection != null) {
            for (String l : mapSection.split("\n")) {
                l = l.replaceAll("#.*$", "").trim();
                if (l.isEmpty()) {
                    continue;
                }
                String[] f = l.split("\\s+");
                maps.put(f[0], MapSpec.of(f[0], MapType.of(Integer.parseInt(f[1])), Integer.parseInt(f[2]),
                        Integer.parseInt(f[3]), Integer.parseInt(f[4])));
            }
        }
        String error = section(sections, "error");
        return new ConformanceCase(name, section(sections, "asm"), section(sections, "raw"), memory, result,
                error != null, error == null ? null : error.trim(), maps);
    }

    private static String section(Map<String, StringBuilder> sections, String name) {
        StringBuilder b = sections.get(name);
        return b == null ? null : b.toString();
    }

    /** The program's little-endian bytes. */
    byte[] code() {
        return raw != null ? UbpfAssembler.raw(raw) : UbpfAssembler.assemble(asm, new ArrayList<>(maps.keySet()));
    }

    /** In-memory maps for the {@code -- map} section, in its order. */
    List<MemoryMap> memoryMaps() {
        return maps.values().stream().map(MemoryMap::create).toList();
    }

    @Override
    public String toString() {
        return name;
    }
}
