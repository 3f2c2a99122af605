package io.jbpf.maps.capture;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.dsl.filter.CaptureProgram;
import io.jbpf.core.dsl.filter.CaptureProgramTest;
import io.jbpf.core.dsl.filter.CaptureRecord;
import io.jbpf.core.dsl.filter.PcapFilter;
import io.jbpf.core.map.MemoryRingBuffer;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Vm;
import io.jbpf.maps.ringbuf.RingBufferReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capture program in the kernel, run with {@code BPF_PROG_TEST_RUN} over CaptureProgramTest's
 * frames on XDP and TC: the verifier accepts it for every filter (also those that always or never
 * match), and the verdicts, ring records and counters are those of the VM and of
 * {@link PcapFilter#matches}.
 */
@KernelTest
class CaptureProgramKernelTest {

    @Test
    void kernelAndVmWriteTheSameRecordsAndCounts() {
        List<byte[]> frames = CaptureProgramTest.frames();
        for (String expr : CaptureProgramTest.EXPRESSIONS) {
            PcapFilter f = PcapFilter.compile(expr);
            for (Target t : List.of(Target.XDP, Target.TC_INGRESS)) {
                for (int snap : new int[] {CaptureProgram.DEFAULT_SNAP_LENGTH, CaptureProgram.MAX_SNAP_LENGTH, 16}) {
                    String what = "'" + expr + "' on " + t + ", snap " + snap;
                    CaptureProgram cap = CaptureProgram.of(f, t, snap, 1 << 16);
                    VmPacketProgram vm = cap.program().loadVm(Vm.create());
                    List<CaptureRecord> fromKernel = new ArrayList<>();
                    long seen;
                    long matched;
                    try (KernelPacketProgram k = cap.program().load();
                            RingBufferReader reader = RingBufferReader.open(k.map(CaptureProgram.RING_MAP))) {
                        for (byte[] fr : frames) {
                            assertThat(k.testRun(fr).returnValue()).as(what).isEqualTo(t.passVerdict());
                            assertThat(vm.run(fr).returnValue()).as(what).isEqualTo(t.passVerdict());
                        }
                        reader.drain((buf, off, len) -> fromKernel.add(CaptureRecord.decode(buf, off, len)));
                        seen = CaptureProgram.packets(k.map(CaptureProgram.COUNT_MAP), CaptureProgram.SEEN);
                        matched = CaptureProgram.packets(k.map(CaptureProgram.COUNT_MAP), CaptureProgram.MATCHED);
                    }
                    List<CaptureRecord> fromVm = new ArrayList<>();
                    for (byte[] r : ((MemoryRingBuffer) vm.map(CaptureProgram.RING_MAP)).drain()) {
                        fromVm.add(CaptureRecord.decode(r));
                    }
                    List<CaptureRecord> want = CaptureProgramTest.expected(f, frames, snap);
                    assertThat(fromKernel).as(what).isEqualTo(want).isEqualTo(fromVm);
                    assertThat(seen).as(what).isEqualTo(frames.size());
                    assertThat(matched).as(what).isEqualTo(want.size());
                }
            }
        }
    }
}
