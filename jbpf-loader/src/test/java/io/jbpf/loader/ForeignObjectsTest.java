package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbpf.core.btf.BtfExt;
import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapInfo;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramInfo;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.Shell;
import io.jbpf.loader.elf.ElfFile;
import io.jbpf.loader.elf.ElfSection;
import io.jbpf.loader.testing.EmbeddedBpfObjects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects that others built load too (issue 4): the BPF objects embedded in the BCC libbpf-tools
 * (Debian's {@code libbpf-tools}: execsnoop, opensnoop, biolatency, ... as CO-RE skeleton
 * binaries, built by Debian with its own clang and vmlinux.h). Every object parses, and each
 * object loads with jbpf exactly when {@code bpftool prog loadall} (libbpf) loads it, with the
 * same programs and maps of the same types; where the kernel refuses it (fentry/fexit and LSM
 * programs, functions this kernel does not have, maps whose size the tool sets at run time),
 * jbpf refuses it too. Objects load as they are, with the defaults of their {@code .rodata}, as
 * bpftool loads them: a tool would first set its constants, sizes and which programs to load.
 *
 * <p>Where the package is missing and cannot be installed ({@code scripts/setup.sh} installs it)
 * the class is skipped, loudly and naming the package, even with {@code JBPF_REQUIRE_KERNEL=1}:
 * what is missing is a package, not the kernel.
 */
@KernelTest
class ForeignObjectsTest {
    static final String PACKAGE = "libbpf-tools";

    /**
     * Objects for which jbpf and bpftool come apart, each with why that is understood and right.
     * Empty: there is none on the kernels this was run on.
     */
    static final Map<String, String> UNDERSTOOD = Map.of();

    record Tool(String name, Path binary, byte[] object) {
    }

    /**
     * What was loaded: program (function) name → type; map name in the kernel (global data maps
     * without libbpf's object prefix) → type, or types where names cut to 15 characters meet.
     */
    record Loaded(TreeMap<String, String> programs, TreeMap<String, String> maps) {
    }

    /** One side's outcome for one object: what it loaded, or why it refused. */
    record Outcome(Loaded loaded, String refusal, boolean crashed) {
        static Outcome loaded(Loaded loaded) {
            return new Outcome(loaded, null, false);
        }

        static Outcome refused(String why) {
            return new Outcome(null, why, false);
        }

        boolean ok() {
            return loaded != null;
        }

        @Override
        public String toString() {
            return ok() ? loaded.programs().size() + " programs, " + loaded.maps().size() + " maps"
                    : (crashed ? "CRASHED: " : "refused: ") + refusal.lines().findFirst().orElse("");
        }
    }

    static List<Tool> tools;

    @BeforeAll
    static void extract() throws IOException {
        Shell.Result files;
        try {
            files = Shell.run("dpkg", "-L", PACKAGE);
        } catch (IllegalStateException e) { // no dpkg: not Debian
            files = new Shell.Result(-1, e.getMessage());
        }
        if (!files.ok()) {
            String why = "package " + PACKAGE + " is not installed (scripts/setup.sh installs it): "
                    + files.output().lines().findFirst().orElse("").strip();
            System.err.println();
            System.err.println("*".repeat(100));
            System.err.println("* SKIPPED ForeignObjectsTest: " + why);
            System.err.println("*".repeat(100));
            System.err.println();
            Assumptions.abort(why);
        }
        Map<Path, String> binaries = new TreeMap<>(); // real path → first name: fsdist is also ext4dist, ...
        for (String line : files.output().split("\n")) {
            Path p = Path.of(line.strip());
            if (line.contains("/sbin/") || line.contains("/bin/")) {
                if (Files.isRegularFile(p)) {
                    binaries.putIfAbsent(p.toRealPath(), p.getFileName().toString());
                }
            }
        }
        tools = new ArrayList<>();
        for (Map.Entry<Path, String> b : binaries.entrySet()) {
            List<EmbeddedBpfObjects.Found> found = EmbeddedBpfObjects.find(Files.readAllBytes(b.getKey()));
            for (int i = 0; i < found.size(); i++) {
                String name = b.getKey().getFileName() + (found.size() > 1 ? "-" + i : "");
                tools.add(new Tool(name, b.getKey(), found.get(i).bytes()));
            }
        }
        tools.sort(Comparator.comparing(Tool::name));
        System.out.println(PACKAGE + ": " + binaries.size() + " binaries, " + tools.size() + " embedded BPF objects");
        assertThat(tools).as("BPF objects embedded in the binaries of " + PACKAGE).isNotEmpty();
    }

    @Test
    void everyObjectParses() {
        Map<String, String> failures = new TreeMap<>();
        int programs = 0;
        int maps = 0;
        int coreRelos = 0;
        int withBtf = 0;
        for (Tool t : tools) {
            try {
                ObjectSpec spec = ObjectSpec.open(t.object());
                assertThat(spec.programs()).as(t.name() + " programs").isNotEmpty();
                ElfFile elf = ElfFile.parse(t.object());
                if (elf.section(".BTF").isPresent()) {
                    assertThat(spec.btf()).as(t.name() + " BTF").isPresent();
                    withBtf++;
                    BtfExt ext = BtfExt.parse(elf.bytes(elf.section(".BTF.ext").orElseThrow()), spec.btf().get());
                    for (ElfSection s : elf.sections()) {
                        coreRelos += ext.coreRelos(s.name()).size();
                    }
                }
                programs += spec.programs().size();
                maps += spec.maps().size();
            } catch (RuntimeException | AssertionError e) {
                failures.put(t.name(), e.toString());
            }
        }
        System.out.printf("%s: %d objects parsed (%d with BTF): %d programs, %d maps, %d CO-RE relocations%n", PACKAGE,
                tools.size() - failures.size(), withBtf, programs, maps, coreRelos);
        assertThat(failures).as("objects of " + PACKAGE + " that do not parse").isEmpty();
    }

    @Test
    void everyObjectLoadsExactlyWhenBpftoolLoadsIt(@TempDir Path dir) throws Exception {
        Bpffs.ensureMounted();
        long pid = ProcessHandle.current().pid();
        Map<String, String> rows = new LinkedHashMap<>();
        Map<String, String> differences = new TreeMap<>();
        List<String> details = new ArrayList<>();
        int bothLoaded = 0;
        int bothRefused = 0;
        int understood = 0;
        for (int n = 0; n < tools.size(); n++) {
            Tool t = tools.get(n);
            Path obj = dir.resolve(t.name() + ".bpf.o");
            Files.write(obj, t.object());
            Path pins = Path.of(Bpffs.DEFAULT_ROOT, "jbpf-foreign-" + pid + "-" + n);
            Outcome theirs = bpftool(obj, pins);
            Outcome ours = jbpf(t.object(), Path.of(Bpffs.DEFAULT_ROOT, "jbpf-foreign-" + pid + "-" + n + "-pins"));
            String verdict;
            if (theirs.ok() && ours.ok() && theirs.loaded().equals(ours.loaded())) {
                verdict = "loaded by both";
                bothLoaded++;
            } else if (!theirs.ok() && !ours.ok() && !ours.crashed()
                    && culprit(theirs.refusal()).equals(culprit(ours.refusal()))) {
                verdict = "refused by both";
                bothRefused++;
            } else {
                verdict = "DIFFERENT";
                String diff = (theirs.ok() || ours.ok() ? "" : "refused for different reasons: ") + "bpftool " + (theirs.ok() ? theirs.loaded() : theirs) + " / jbpf "
                        + (ours.ok() ? ours.loaded() : ours);
                if (UNDERSTOOD.containsKey(t.name())) {
                    verdict = "different, understood: " + UNDERSTOOD.get(t.name());
                    understood++;
                } else {
                    differences.put(t.name(), diff);
                    details.add(t.name() + ":\n  bpftool: " + (theirs.ok() ? theirs.loaded() : theirs.refusal())
                            + "\n  jbpf: " + (ours.ok() ? ours.loaded() : ours.refusal()));
                }
            }
            rows.put(t.name(), String.format("%-14s %-16s bpftool %s%n%14s %16s jbpf    %s", t.name(), verdict, theirs,
                    "", "", ours));
        }
        String report = String.join(System.lineSeparator(), rows.values()) + System.lineSeparator()
                + String.format("%s: %d objects; loaded by both: %d, refused by both: %d, understood differences: %d, "
                        + "differences: %d", PACKAGE, tools.size(), bothLoaded, bothRefused, understood, differences.size());
        System.out.println(report);
        Files.writeString(Path.of("target", "foreign-objects.txt"), report + System.lineSeparator()
                + String.join(System.lineSeparator(), details) + System.lineSeparator());
        assertThat(differences).as("objects of " + PACKAGE + " that jbpf and bpftool load differently").isEmpty();
        assertThat(bothLoaded).as("objects loaded by both").isPositive();
    }

    /** {@code bpftool prog loadall OBJ PINS pinmaps PINS-maps}: what it loaded (read through the pins), or why not. */
    static Outcome bpftool(Path obj, Path pins) throws IOException {
        Path mapPins = Path.of(pins + "-maps");
        try {
            Shell.Result r = Shell.run("bpftool", "prog", "loadall", obj.toString(), pins.toString(), "pinmaps",
                    mapPins.toString());
            if (!r.ok()) {
                return Outcome.refused(firstFailure(r.output()));
            }
            ObjectMapper json = new ObjectMapper();
            TreeMap<String, String> programs = new TreeMap<>();
            for (Path p : list(pins)) { // pinned by function name: kernel names are cut to 15 characters
                JsonNode prog = json.readTree(Shell.check("bpftool", "-j", "prog", "show", "pinned", p.toString()));
                ProgramInfo info = ProgramInfo.ofId(prog.get("id").asInt());
                programs.put(p.getFileName().toString(), info.type().name());
            }
            TreeMap<String, String> maps = new TreeMap<>();
            for (Path p : list(mapPins)) {
                JsonNode map = json.readTree(Shell.check("bpftool", "-j", "map", "show", "pinned", p.toString()));
                MapInfo info = MapInfo.ofId(map.get("id").asInt());
                maps.merge(mapName(info.spec().name()), info.spec().type().name(), ForeignObjectsTest::both);
            }
            return Outcome.loaded(new Loaded(programs, maps));
        } finally {
            removePins(pins);
            removePins(mapPins);
        }
    }

    /** The object loaded with jbpf, as it is: what it loaded, or why not. */
    static Outcome jbpf(byte[] object, Path pinRoot) throws IOException {
        try (BpfObject loaded = BpfObject.load(ObjectSpec.open(object), pinRoot)) {
            TreeMap<String, String> programs = new TreeMap<>();
            for (Map.Entry<String, Program> p : loaded.programs().entrySet()) {
                programs.put(p.getKey(), p.getValue().info().type().name());
            }
            TreeMap<String, String> maps = new TreeMap<>();
            for (KernelMap m : loaded.maps().values()) {
                MapInfo info = m.info();
                maps.merge(mapName(info.spec().name()), info.spec().type().name(), ForeignObjectsTest::both);
            }
            return Outcome.loaded(new Loaded(programs, maps));
        } catch (LoaderException | io.jbpf.core.BpfException e) {
            return Outcome.refused(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            // not a refusal that says why: a failure of the loader, different from whatever bpftool did
            return new Outcome(null, e.toString(), true);
        } finally {
            removePins(pinRoot);
        }
    }

    static String both(String a, String b) {
        return a.compareTo(b) <= 0 ? a + "+" + b : b + "+" + a;
    }

    /** libbpf names global data maps after the object ({@code execsnoo.rodata}); jbpf by the section ({@code .rodata}). */
    static String mapName(String name) {
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(dot) : name;
    }

    private static final java.util.regex.Pattern CULPRIT = java.util.regex.Pattern.compile(
            "\\b(prog|program|map) '([^']+)'|bpf_create_map_xattr\\(([^)]+)\\)");

    /**
     * What a refusal names as what failed ({@code program do_sample}, {@code map stackmap}), with
     * the name cut to the kernel's 15 characters as some messages give it; "" when it names none.
     * Both loaders create the maps first, then load the programs in the object's order: where both
     * refuse an object, they refuse it for the same map or program.
     */
    static String culprit(String refusal) {
        java.util.regex.Matcher m = CULPRIT.matcher(refusal);
        if (!m.find()) {
            return "";
        }
        String kind = m.group(3) != null || m.group(1).equals("map") ? "map" : "program";
        String name = m.group(3) != null ? m.group(3) : m.group(2);
        return kind + " " + (name.length() > 15 ? name.substring(0, 15) : name);
    }

    /** The line of bpftool's output that says what failed first. */
    static String firstFailure(String output) {
        return output.lines().filter(l -> l.startsWith("libbpf:") && (l.contains("failed") || l.contains("Error")))
                .findFirst().or(() -> output.lines().filter(l -> l.startsWith("Error")).findFirst())
                .orElse(output.strip()).strip();
    }

    static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }

    static void removePins(Path dir) throws IOException {
        for (Path p : list(dir)) {
            Files.deleteIfExists(p);
        }
        Files.deleteIfExists(dir);
    }
}
