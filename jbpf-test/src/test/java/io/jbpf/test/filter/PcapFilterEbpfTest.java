package io.jbpf.test.filter;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.BpfException;
import io.jbpf.core.dsl.cbpf.CbpfConverter;
import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.insn.Insn;
import io.jbpf.core.pcap.PcapHeader;
import io.jbpf.core.pcap.PcapRecord;
import io.jbpf.core.pcap.PcapWriter;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.core.vm.XdpContext;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled filters as eBPF (XDP with direct packet access, converted from the classic program)
 * agree with tcpdump too: every expression of {@code expressions.txt} is loaded into the kernel (the
 * verifier must accept it) and run with BPF_PROG_TEST_RUN, and in the VM's interpreter and JIT,
 * over the built, random and malformed frames of {@link FilterCorpus}. Where a frame is a whole
 * packet the verdict must be tcpdump's; where the capture was truncated (so {@code len} differs
 * between a capture and what a hook sees) it must be the classic program's over the same bytes.
 */
@KernelTest
class PcapFilterEbpfTest {
    @TempDir
    Path dir;

    @Test
    void xdpFormAgreesWithTcpdumpInTheKernelAndTheVm() throws Exception {
        Assumptions.assumeTrue(new File("/usr/sbin/tcpdump").canExecute() || new File("/usr/bin/tcpdump").canExecute(),
                "SKIPPED LOUDLY: tcpdump is not installed");
        List<FilterCorpus.Frame> frames = FilterCorpus.built(20261126L);
        Path file = dir.resolve("corpus.pcap");
        List<PcapRecord> records = new ArrayList<>();
        for (int i = 0; i < frames.size(); i++) {
            records.add(frames.get(i).record(i));
        }
        PcapWriter.writeAll(file, PcapHeader.of(PcapHeader.LINKTYPE_ETHERNET), records);
        PcapFilterTcpdumpTest tcpdump = PcapFilterTcpdumpTest.in(dir);
        List<String> wrong = new ArrayList<>();
        int kernelRuns = 0;
        int refusedFrames = 0;
        long ebpfInsns = 0;
        for (String raw : PcapFilterTcpdumpTest.resource("expressions.txt")) {
            String expr = raw.replace("$A6", "2001:db8::1").replace("$B6", "2001:db8::2")
                    .replace("$NET", "10.0.0.0/24").replace("$A", "10.0.0.1").replace("$B", "10.0.0.2");
            TreeSet<Integer> theirs = tcpdump.tcpdumpMatches(file, expr, 1_000_000);
            assertThat(theirs).as("tcpdump accepts " + expr).isNotNull();
            PcapFilter f = PcapFilter.compile(expr);
            List<Insn> insns = f.toEbpf(PcapFilter.Target.XDP);
            ebpfInsns += insns.size();
            List<VmProgram> vms = List.of(Vm.builder().engine(Engine.INTERPRETER).build().load("f", insns, Map.of()),
                    Vm.builder().engine(Engine.JIT).build().load("f", insns, Map.of()));
            ProgramSpec spec = ProgramSpec.builder("jbpf_filter", ProgramType.XDP).instructions(insns).license("GPL").build();
            try (Program prog = Program.load(spec)) {
                for (int i = 0; i < frames.size(); i++) {
                    byte[] d = frames.get(i).data();
                    boolean whole = frames.get(i).wireLength() == d.length;
                    boolean want = whole ? theirs.contains(i) : f.matches(d, d.length);
                    int wantCode = want ? CbpfConverter.XDP_PASS : CbpfConverter.XDP_DROP;
                    for (VmProgram vm : vms) {
                        int got = (int) vm.run(XdpContext.of(d)).returnValue();
                        if (got != wantCode) {
                            wrong.add(expr + ": " + vm.engine() + " gives " + got + " for #" + i + " "
                                    + HexFormat.of().formatHex(d));
                        }
                    }
                    int got;
                    try {
                        got = prog.testRun(TestRun.withData(d)).returnValue();
                        kernelRuns++;
                    } catch (BpfException e) {
                        // the kernel's XDP test run wants at least an Ethernet header
                        assertThat(d.length).as(e.getMessage()).isLessThan(14);
                        refusedFrames++;
                        continue;
                    }
                    if (got != wantCode) {
                        wrong.add(expr + ": the kernel gives " + got + " for #" + i + " " + HexFormat.of().formatHex(d));
                    }
                }
            }
            if (wrong.size() > 50) {
                break;
            }
        }
        System.out.println("eBPF (XDP) instructions over all expressions: " + ebpfInsns + "; kernel runs " + kernelRuns
                + ", frames the kernel's test run refuses (shorter than 14 bytes): " + refusedFrames);
        assertThat(wrong).isEmpty();
        assertThat(kernelRuns).isGreaterThan(50_000);
    }
}
