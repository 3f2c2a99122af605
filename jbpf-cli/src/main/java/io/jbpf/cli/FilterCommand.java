package io.jbpf.cli;

import io.jbpf.core.asm.Disassembler;
import io.jbpf.core.dsl.cbpf.CbpfConverter;
import io.jbpf.core.dsl.filter.PacketSummary;
import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.dsl.filter.PcapFilterException;
import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapReader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import java.util.function.Predicate;
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
 * a pcap file, printing the 0-based indices of those that match; or prints the program; or, with
 * {@code --iface}, captures live ({@link LiveFilter}).
 */
@Command(name = "filter", description = {
    "Compile a tcpdump (pcap-filter) expression, with libpcap's meaning for Ethernet frames, and run it over a"
            + " pcap file: prints the 0-based index of each matching packet, one per line.",
    "--dump prints the generated program instead (or as well, with --pcap).",
    "With --iface IF instead of --pcap: captures live on the interface (XDP or TC) and prints each matching packet"
            + " until Ctrl-C, --count or --duration, then 'N packets seen, M matched, L lost'."})
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

    @Option(names = "--engine", defaultValue = "interp", paramLabel = "ENGINE",
            description = "interp (default) or jit: the eBPF (XDP) form in the VM; kernel: the eBPF form loaded into the"
                    + " kernel and run with BPF_PROG_TEST_RUN (needs root); classic: the classic program in the classic"
                    + " interpreter, with libpcap's semantics. The eBPF engines see the captured bytes, so for a truncated"
                    + " capture len is the captured length; classic uses the original length, as tcpdump does.")
    EngineName engine;

    @Option(names = "--print", description = "Add a one-line tcpdump-style summary after each index.")
    boolean print;

    @Option(names = "--write", paramLabel = "OUT", description = "Write the matching packets to this pcap file.")
    Path write;

    @Option(names = "--dump", arity = "0..1", fallbackValue = "ebpf", paramLabel = "FORM",
            description = "Print the program with its instruction count: ebpf (the XDP form, the default), classic"
                    + " (tcpdump -d format) or both.")
    String dump;

    @Option(names = "--iface", paramLabel = "IF",
            description = "Capture live on this interface instead of reading --pcap: prints each matching packet (index,"
                    + " time, length; with --print a summary) until Ctrl-C, --count or --duration, then the counts."
                    + " Never changes what happens to the traffic. Needs root.")
    String iface;

    @Option(names = "--attach", defaultValue = "xdp", paramLabel = "HOOK",
            description = "With --iface: xdp (default; native or generic as the kernel chooses), xdp-generic, xdp-native,"
                    + " tc (TCX ingress) or tc-egress (TCX egress).")
    String attach;

    @Option(names = "--snaplen", defaultValue = "128", paramLabel = "N",
            description = "With --iface: keep the first N bytes of each packet, 1 to 256 (default 128).")
    int snaplen;

    @Option(names = "--count", paramLabel = "N", description = "With --iface: stop after N matching packets.")
    long count;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "With --iface: stop after this many seconds.")
    Double duration;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "With --iface: the interface is in this named network namespace (as with ip netns exec NAME).")
    String netns;

    /** Runs the filter on one engine; owns the kernel program when there is one. */
    private interface Runner extends AutoCloseable {
        /** 1 for a match, 0 for none, -1 if this engine cannot run the packet. */
        int matches(PcapRecord r);

        @Override
        default void close() {
        }
    }

    private Runner runner(PcapFilter filter) {
        switch (engine) {
            case classic:
                return r -> filter.matches(r.data(), r.originalLength()) ? 1 : 0;
            case kernel: {
                List<Insn> insns = filter.toEbpf(PcapFilter.Target.XDP);
                ProgramSpec spec = ProgramSpec.builder("jbpf_filter", ProgramType.XDP).instructions(insns).license("GPL")
                        .build();
                Program prog = Program.load(spec);
                return new Runner() {
                    @Override
                    public int matches(PcapRecord r) {
                        if (r.data().length < 14) {
                            return -1; // the kernel's XDP test run refuses a frame without an Ethernet header
                        }
                        return prog.testRun(TestRun.withData(r.data())).returnValue() == CbpfConverter.XDP_PASS ? 1 : 0;
                    }

                    @Override
                    public void close() {
                        prog.close();
                    }
                };
            }
            default: {
                Engine e = engine == EngineName.jit ? Engine.JIT : Engine.INTERPRETER;
                VmProgram vm;
                try {
                    vm = Vm.builder().engine(e).build().load("filter", filter.toEbpf(PcapFilter.Target.XDP),
                            java.util.Map.of());
                } catch (UnsupportedOperationException ex) {
                    throw VmCommand.unavailable(e, ex);
                }
                Predicate<byte[]> p = d -> vm.run(XdpContext.of(d)).returnValue() == CbpfConverter.XDP_PASS;
                return r -> p.test(r.data()) ? 1 : 0;
            }
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PcapFilter filter = PcapFilter.compile(expr);
            if (iface != null) {
                return LiveFilter.run(this, filter, out, err);
            }
            for (String liveOnly : new String[] {"--attach", "--snaplen", "--count", "--duration", "--netns"}) {
                if (spec.commandLine().getParseResult().hasMatchedOption(liveOnly)) {
                    throw new IllegalArgumentException(liveOnly + " goes with --iface");
                }
            }
            if (dump != null) {
                if (!dump.equals("classic") && !dump.equals("ebpf") && !dump.equals("both")) {
                    throw new IllegalArgumentException("--dump takes ebpf, classic or both, not " + dump);
                }
                if (!dump.equals("ebpf")) {
                    out.print(filter.classicListing());
                    out.println("classic instructions: " + filter.classic().size());
                }
                if (!dump.equals("classic")) {
                    List<Insn> insns = filter.toEbpf(PcapFilter.Target.XDP);
                    for (String line : Disassembler.create().lines(insns)) {
                        out.println(line);
                    }
                    out.println("ebpf instructions (xdp): " + insns.size());
                }
            }
            if (pcap == null) {
                if (dump == null) {
                    throw new IllegalArgumentException("give --pcap FILE to run the filter, or --dump to print it");
                }
                out.flush();
                return 0;
            }
            List<PcapRecord> matches = new ArrayList<>();
            PcapHeader header;
            int total = 0;
            int notRun = 0;
            try (PcapReader in = PcapReader.open(Files.newInputStream(pcap))) {
                header = in.header();
                if (header.linkType() != PcapHeader.LINKTYPE_ETHERNET) {
                    throw new IllegalArgumentException(pcap + " has link type " + header.linkType()
                            + "; the filter compiler handles Ethernet (1) only");
                }
                try (Runner run = runner(filter)) {
                    for (PcapRecord r = in.next(); r != null; r = in.next(), total++) {
                        int m = run.matches(r);
                        if (m < 0) {
                            notRun++;
                        }
                        if (m <= 0) {
                            continue;
                        }
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
            if (notRun > 0) {
                err.println(notRun + " packets shorter than an Ethernet header were not run: the kernel's XDP test run"
                        + " refuses them");
            }
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
