package io.jbpf.cli;

import io.jbpf.core.dsl.filter.PacketSummary;
import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.dsl.filter.PcapFilterException;
import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jbpf filter}: compiles a tcpdump (pcap-filter) expression and runs it over the packets of
 * a pcap file, printing the 0-based indices of those that match; or prints the program.
 */
@Command(name = "filter", description = {
    "Compile a tcpdump (pcap-filter) expression, with libpcap's meaning for Ethernet frames, and run it over a"
            + " pcap file: prints the 0-based index of each matching packet, one per line.",
    "--dump prints the generated program instead (or as well, with --pcap)."})
final class FilterCommand implements Callable<Integer> {
    /** The engines that run the filter. */
    enum EngineName {
        classic, interp, jit, kernel
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--expr", required = true, paramLabel = "EXPR", description = "The pcap-filter expression (quote it).")
    String expr;

    @Option(names = "--pcap", paramLabel = "FILE", description = "A pcap file of Ethernet frames.")
    Path pcap;

    @Option(names = "--engine", defaultValue = "classic", paramLabel = "ENGINE",
            description = "classic (the classic BPF interpreter, libpcap's semantics; default) or interp|jit|kernel"
                    + " (eBPF, once the classic-to-eBPF converter is merged).")
    EngineName engine;

    @Option(names = "--print", description = "Add a one-line tcpdump-style summary after each index.")
    boolean print;

    @Option(names = "--write", paramLabel = "OUT", description = "Write the matching packets to this pcap file.")
    Path write;

    @Option(names = "--dump", arity = "0..1", fallbackValue = "classic", paramLabel = "FORM",
            description = "Print the program: classic (tcpdump -d format; the default form) with its instruction count.")
    String dump;

    @Option(names = "--iface", paramLabel = "IF", description = "Live attach: not available yet (needs the packet DSL).")
    String iface;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            if (iface != null) {
                throw new IllegalArgumentException("--iface (live attach) is not available yet: it needs the packet DSL's"
                        + " XDP/TC programs and ring buffer; use --pcap");
            }
            PcapFilter filter = PcapFilter.compile(expr);
            if (dump != null) {
                if (!dump.equals("classic")) {
                    throw new IllegalArgumentException("--dump=" + dump + " is not available: only classic for now (the"
                            + " eBPF form needs the classic-to-eBPF converter)");
                }
                out.print(filter.classicListing());
                out.println("classic instructions: " + filter.classic().size());
            }
            if (pcap == null) {
                if (dump == null) {
                    throw new IllegalArgumentException("give --pcap FILE to run the filter, or --dump to print it");
                }
                out.flush();
                return 0;
            }
            if (engine != EngineName.classic) {
                throw new IllegalArgumentException("--engine " + engine + " runs the eBPF form, which needs the"
                        + " classic-to-eBPF converter (not merged yet); use --engine classic");
            }
            List<PcapRecord> matches = new ArrayList<>();
            PcapHeader header;
            int total = 0;
            try (PcapReader in = PcapReader.open(Files.newInputStream(pcap))) {
                header = in.header();
                if (header.linkType() != PcapHeader.LINKTYPE_ETHERNET) {
                    throw new IllegalArgumentException(pcap + " has link type " + header.linkType()
                            + "; the filter compiler handles Ethernet (1) only");
                }
                for (PcapRecord r = in.next(); r != null; r = in.next(), total++) {
                    if (filter.matches(r.data(), r.originalLength())) {
                        matches.add(r);
                        out.println(print ? total + " " + PacketSummary.of(r.data()) : Integer.toString(total));
                    }
                }
            }
            if (write != null) {
                PcapWriter.writeAll(write, header, matches);
            }
            out.flush();
            err.println(matches.size() + " of " + total + " packets match");
            err.flush();
            return 0;
        } catch (PcapFilterException e) {
            err.println("error: " + e.getMessage());
            err.flush();
            return 1;
        } catch (IOException | UncheckedIOException e) {
            err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return 1;
        } catch (RuntimeException e) {
            err.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return 1;
        }
    }
}
