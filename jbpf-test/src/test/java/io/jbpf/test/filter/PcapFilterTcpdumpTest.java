package io.jbpf.test.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.dsl.filter.PcapFilterException;
import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The filter compiler agrees with tcpdump: for every expression of {@code expressions.txt} (taken
 * from the pcap-filter and tcpdump manuals and common use), the packets that
 * {@code tcpdump -r FILE -w OUT EXPR} keeps are exactly those our compiled classic program accepts
 * (run with libpcap's semantics, and also without our optimizer). The captures are real traffic
 * recorded by tcpdump itself on a veth between two network namespaces the test creates (ARP, ping
 * and 3000-byte fragmented ping over IPv4 and IPv6, neighbour discovery, UDP, TCP to closed and
 * open ports, pings over a VLAN and a stacked VLAN), plus built, random and malformed frames.
 * The expressions of {@code errors.txt}, which tcpdump refuses, must be refused too.
 */
class PcapFilterTcpdumpTest {
    /** Lets another class (the live capture test) run the comparison in its own directory. */
    static PcapFilterTcpdumpTest in(Path dir) {
        PcapFilterTcpdumpTest t = new PcapFilterTcpdumpTest();
        t.dir = dir;
        return t;
    }

    @TempDir
    Path dir;

    @BeforeAll
    static void needTcpdump() {
        boolean found = new File("/usr/sbin/tcpdump").canExecute() || new File("/usr/bin/tcpdump").canExecute();
        Assumptions.assumeTrue(found, "SKIPPED LOUDLY: tcpdump is not installed, so the filter compiler is not"
                + " compared with it (scripts/setup.sh installs it)");
    }

    static List<String> resource(String name) throws IOException {
        try (InputStream in = PcapFilterTcpdumpTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            List<String> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip());
                }
            }
            return out;
        }
    }

    private static String substitute(String expr, Map<String, String> vars) {
        String e = expr;
        for (String k : new String[] {"$A6", "$B6", "$NET", "$A", "$B"}) {
            e = e.replace(k, vars.get(k));
        }
        return e;
    }

    /** Indices (0-based) of the records of {@code file} that tcpdump keeps for {@code expr}, or null if it refuses it. */
    TreeSet<Integer> tcpdumpMatches(Path file, String expr, int first) throws Exception {
        Path out = dir.resolve("out.pcap");
        Files.deleteIfExists(out);
        Process p = new ProcessBuilder("tcpdump", "-r", file.toString(), "-w", out.toString(), "--", expr)
                .redirectErrorStream(true).start();
        String msg = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        if (p.exitValue() != 0) {
            return null;
        }
        TreeSet<Integer> idx = new TreeSet<>();
        for (PcapRecord r : PcapReader.readAll(out)) {
            idx.add((int) (r.timestamp().getEpochSecond() - first));
        }
        assertThat(msg).isNotNull();
        return idx;
    }

    /** The number of instructions tcpdump -d prints for {@code expr} (libpcap's optimized program). */
    private static int tcpdumpSize(String expr) throws Exception {
        Process p = new ProcessBuilder("tcpdump", "-d", "-y", "EN10MB", "--", expr).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return (int) out.lines().filter(l -> l.startsWith("(")).count();
    }

    private static TreeSet<Integer> ours(PcapFilter f, List<FilterCorpus.Frame> frames) {
        TreeSet<Integer> idx = new TreeSet<>();
        for (int i = 0; i < frames.size(); i++) {
            if (f.matches(frames.get(i).data(), frames.get(i).wireLength())) {
                idx.add(i);
            }
        }
        return idx;
    }

    void compareAll(String label, List<FilterCorpus.Frame> frames, Map<String, String> vars, double discriminating)
            throws Exception {
        Path file = dir.resolve("corpus.pcap");
        List<PcapRecord> records = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            records.add(frames.get(i).record(i));
        }
        PcapWriter.writeAll(file, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), records);
        List<String> problems = new ArrayList<>();
        StringBuilder counts = new StringBuilder(String.format("%5s %7s  %s%n", "jbpf", "tcpdump", "expression"));
        long oursTotal = 0;
        long theirsTotal = 0;
        int nonTrivial = 0;
        for (String raw : resource("expressions.txt")) {
            String expr = substitute(raw, vars);
            TreeSet<Integer> theirs = tcpdumpMatches(file, expr, 1_000_000);
            if (theirs == null) {
                problems.add(expr + ": tcpdump refuses it");
                continue;
            }
            PcapFilter f;
            try {
                f = PcapFilter.compile(expr);
            } catch (PcapFilterException e) {
                problems.add(expr + ": we refuse it: " + e.getMessage());
                continue;
            }
            TreeSet<Integer> mine = ours(f, frames);
            TreeSet<Integer> plain = ours(PcapFilter.compileUnoptimized(expr), frames);
            if (!mine.equals(theirs)) {
                TreeSet<Integer> extra = new TreeSet<>(mine);
                extra.removeAll(theirs);
                TreeSet<Integer> missing = new TreeSet<>(theirs);
                missing.removeAll(mine);
                int example = !extra.isEmpty() ? extra.first() : missing.first();
                problems.add(expr + ": we also match " + extra + ", we miss " + missing + "; e.g. #" + example + " "
                        + hex(frames.get(example).data()) + " (wire " + frames.get(example).wireLength() + ")");
            } else if (!plain.equals(mine)) {
                problems.add(expr + ": the unoptimized program disagrees: " + plain + " vs " + mine);
            }
            if (!theirs.isEmpty() && theirs.size() < frames.size()) {
                nonTrivial++;
            }
            int theirSize = tcpdumpSize(expr);
            oursTotal += f.classic().size();
            theirsTotal += theirSize;
            counts.append(String.format("%5d %7d  %s%n", f.classic().size(), theirSize, expr));
        }
        counts.append(String.format("%5d %7d  (total)%n", oursTotal, theirsTotal));
        System.out.println("classic instruction counts, ours and tcpdump -d's:\n" + counts);
        Files.writeString(Path.of("target", "pcap-filter-insn-counts-" + label + ".txt"), counts.toString());
        assertThat(problems).as("expressions where tcpdump and we disagree").isEmpty();
        // the corpus must tell expressions apart: most expressions match some packets but not all
        assertThat(nonTrivial).isGreaterThan((int) (resource("expressions.txt").size() * discriminating));
    }

    private static String hex(byte[] b) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(b.length, 80); i++) {
            s.append(String.format("%02x", b[i]));
        }
        return s.toString();
    }

    private static Map<String, String> builtVars() {
        Map<String, String> v = new HashMap<>();
        v.put("$A", "10.0.0.1");
        v.put("$B", "10.0.0.2");
        v.put("$A6", "2001:db8::1");
        v.put("$B6", "2001:db8::2");
        v.put("$NET", "10.0.0.0/24");
        return v;
    }

    @Test
    void agreesWithTcpdumpOnBuiltRandomAndMalformedFrames() throws Exception {
        List<FilterCorpus.Frame> frames = FilterCorpus.built(20261126L);
        assertThat(frames.size()).isGreaterThan(400);
        compareAll("built", frames, builtVars(), 0.75);
    }

    /**
     * 300 random expressions (a fixed seed) over a second corpus. Where tcpdump refuses one because
     * libpcap's optimizer proves it never matches, ours must match nothing. Larger runs
     * ({@code -Djbpf.filter.random=1500 -Djbpf.filter.random.seed=N}): seeds 1 to 7 agree on every
     * expression (10,144 compared); seed 8 finds 2 of 1452 that differ, only on frames cut short
     * before the bytes a test reads, where libpcap's optimizer knows less than ours (it decides a test
     * only from the edges that dominate it) and so keeps a load that fails on the short frame.
     */
    @Test
    void agreesWithTcpdumpOnRandomExpressions() throws Exception {
        List<FilterCorpus.Frame> frames = FilterCorpus.built(99L);
        Path file = dir.resolve("random.pcap");
        List<PcapRecord> records = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            records.add(frames.get(i).record(i));
        }
        PcapWriter.writeAll(file, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), records);
        // -Djbpf.filter.random=N (and .seed) run more of them
        RandomExpressions gen = new RandomExpressions(Long.getLong("jbpf.filter.random.seed", 20261127L));
        int count = Integer.getInteger("jbpf.filter.random", 300);
        List<String> problems = new ArrayList<>();
        int compared = 0;
        int rejectAll = 0;
        for (int n = 0; n < count; n++) {
            String expr = gen.next();
            TreeSet<Integer> theirs = tcpdumpMatches(file, expr, 1_000_000);
            PcapFilter f;
            try {
                f = PcapFilter.compile(expr);
            } catch (PcapFilterException e) {
                if (theirs != null) {
                    problems.add(expr + ": we refuse it (" + e.getMessage() + ") but tcpdump does not");
                }
                continue;
            }
            TreeSet<Integer> mine = ours(f, frames);
            if (theirs == null) {
                // libpcap's optimizer refuses an expression it proves never matches; so must ours be
                rejectAll++;
                if (!mine.isEmpty()) {
                    problems.add(expr + ": tcpdump refuses it, we match " + mine);
                }
                continue;
            }
            compared++;
            if (!mine.equals(theirs)) {
                TreeSet<Integer> extra = new TreeSet<>(mine);
                extra.removeAll(theirs);
                TreeSet<Integer> missing = new TreeSet<>(theirs);
                missing.removeAll(mine);
                List<Integer> lengths = new ArrayList<>();
                extra.forEach(i -> lengths.add(frames.get(i).data().length));
                missing.forEach(i -> lengths.add(frames.get(i).data().length));
                int first = extra.isEmpty() ? missing.first() : extra.first();
                problems.add(expr + ": we also match " + extra + ", we miss " + missing + " (captured lengths "
                        + lengths + "; frame " + first + " is " + java.util.HexFormat.of().formatHex(frames.get(first).data())
                        + ")");
            }
        }
        System.out.println("random expressions compared with tcpdump: " + compared + ", never-matching ones: " + rejectAll);
        assertThat(problems).isEmpty();
        assertThat(compared).isGreaterThan(count * 2 / 3);
    }

    @Test
    void refusesWhatTcpdumpRefuses() throws Exception {
        Path file = dir.resolve("one.pcap");
        List<FilterCorpus.Frame> one = FilterCorpus.built(1L).subList(0, 1);
        PcapWriter.writeAll(file, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), List.of(one.get(0).record(0)));
        for (String raw : resource("errors.txt")) {
            String expr = substitute(raw, builtVars());
            assertThat(tcpdumpMatches(file, expr, 1_000_000)).as("tcpdump refuses " + expr).isNull();
            assertThatThrownBy(() -> PcapFilter.compile(expr)).as(expr).isInstanceOf(PcapFilterException.class);
        }
    }

}
