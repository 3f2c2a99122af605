package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.map.MapInfo;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramInfo;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects of native/testdata/elf load with jbpf as they do with {@code bpftool prog loadall}
 * (libbpf): the same programs, of the same types, translated by the kernel to the same size, using
 * the same maps (libbpf prefixes global data maps with the object's name).
 */
@KernelTest
class BpftoolParityTest {

    record Loaded(String type, int translatedBytes, TreeSet<String> maps) {
    }

    static String mapName(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(dot) : name; // "relocs.data" -> ".data"
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"relocs.bpf.c", "features.bpf.c", "map_in_map.bpf.c",
            "conventions.bpf.c", "kprobe.bpf.c"})
    void objectsLoadAsBpftoolLoadsThem(String source, @TempDir Path dir) throws Exception {
        LlvmToolchain tools = LlvmToolchain.require();
        Path obj = BpfObjectTest.build(tools, BpfObjectTest.SOURCE.resolveSibling(source), dir);

        Bpffs.ensureMounted();
        Path pins = Path.of("/sys/fs/bpf", "jbpf-loadall-" + ProcessHandle.current().pid());
        Map<String, Loaded> theirs = new TreeMap<>();
        try {
            LlvmToolchain.run(List.of("bpftool", "prog", "loadall", obj.toString(), pins.toString()), null);
            ObjectMapper json = new ObjectMapper();
            try (Stream<Path> pinned = Files.list(pins)) {
                for (Path p : pinned.toList()) {
                    JsonNode prog = json.readTree(LlvmToolchain.run(List.of("bpftool", "-j", "prog", "show", "pinned",
                            p.toString()), null));
                    TreeSet<String> maps = new TreeSet<>();
                    for (JsonNode id : prog.path("map_ids")) {
                        maps.add(mapName(MapInfo.ofId(id.asInt()).spec().name()));
                    }
                    theirs.put(prog.get("name").asText(), new Loaded(prog.get("type").asText(),
                            prog.get("bytes_xlated").asInt(), maps));
                }
            }
        } finally {
            try (Stream<Path> pinned = Files.exists(pins) ? Files.list(pins) : Stream.empty()) {
                for (Path p : pinned.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(pins);
        }

        Map<String, Loaded> ours = new TreeMap<>();
        try (BpfObject loaded = BpfObject.load(ObjectSpec.open(obj))) {
            for (Map.Entry<String, Program> e : loaded.programs().entrySet()) {
                ProgramInfo info = e.getValue().info();
                TreeSet<String> maps = new TreeSet<>();
                for (int id : info.mapIds()) {
                    maps.add(mapName(MapInfo.ofId(id).spec().name()));
                }
                ours.put(e.getKey(), new Loaded(info.type().name().toLowerCase(java.util.Locale.ROOT), info.translatedInstructions() * 8, maps));
            }
        }
        assertThat(theirs).isNotEmpty();
        assertThat(ours).isEqualTo(theirs);
    }
}
