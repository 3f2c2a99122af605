package io.jbpf.test.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.dsl.DslCatalog;
import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryRingBuffer;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.TestRunResult;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.RunResult;
import io.jbpf.core.vm.Vm;
import io.jbpf.maps.ringbuf.RingBufferReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every program of the DSL catalog, for every target, over well-formed and malformed packets:
 * the kernel ({@code BPF_PROG_TEST_RUN}), the VM's interpreter and its JIT give the same verdict,
 * the same packet, the same counters and the same ring buffer records.
 */
@KernelTest
class DslDifferentialTest {
    private static final long SEED = 0x5eed_d51L;
    private static final int PACKETS = 400;
    private static final HexFormat HEX = HexFormat.of();

    static Stream<Arguments> programs() {
        List<Arguments> out = new ArrayList<>();
        for (DslCatalog.Entry e : DslCatalog.entries()) {
            for (Target t : e.targets()) {
                out.add(Arguments.of(e, t));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("programs")
    void kernelAndVmAgree(DslCatalog.Entry entry, Target target) {
        PacketProgram program = entry.build(target);
        List<byte[]> packets = new DslPackets(SEED ^ entry.name().hashCode()).corpus(PACKETS);
        VmPacketProgram interp = program.loadVm(Vm.builder().engine(Engine.INTERPRETER).build());
        VmPacketProgram jit = program.loadVm(Vm.builder().engine(Engine.JIT).build());
        int compared = 0;
        java.util.Set<Integer> verdicts = new java.util.TreeSet<>();
        try (KernelPacketProgram kernel = program.load()) {
            List<RingBufferReader> readers = new ArrayList<>();
            try {
                Map<String, RingBufferReader> rings = new TreeMap<>();
                for (MapSpec m : program.maps()) {
                    if (m.type() == MapType.RINGBUF) {
                        RingBufferReader reader = RingBufferReader.open(kernel.map(m.name()));
                        readers.add(reader);
                        rings.put(m.name(), reader);
                    }
                }
                for (int n = 0; n < packets.size(); n++) {
                    byte[] p = packets.get(n);
                    String what = entry + " on " + target + ", packet #" + n + " " + HEX.formatHex(p);
                    TestRunResult k;
                    try {
                        k = kernel.testRun(p);
                    } catch (BpfException e) {
                        if (target != Target.XDP && shortIpFrame(p) && e.errno() == Errno.EINVAL) {
                            continue; // the kernel's test run refuses socket buffers with a short IP header
                        }
                        throw new AssertionError(what, e);
                    }
                    verdicts.add(k.returnValue());
                    String kMaps = counters(kernel.maps());
                    String kRings = kernelRings(rings);
                    for (VmPacketProgram vm : List.of(interp, jit)) {
                        String on = what + " on " + vm.program().engine();
                        RunResult r = vm.run(p);
                        assertThat(r.verdict()).as("%s: verdict", on).isEqualTo(k.returnValue());
                        assertThat(HEX.formatHex(r.data())).as("%s: packet out", on).isEqualTo(HEX.formatHex(k.data()));
                        assertThat(counters(vm.maps())).as("%s: counters", on).isEqualTo(kMaps);
                        assertThat(vmRings(vm)).as("%s: ring buffer records", on).isEqualTo(kRings);
                    }
                    compared++;
                }
            } finally {
                for (RingBufferReader r : readers) {
                    r.close();
                }
            }
        }
        assertThat(compared).as("packets compared").isGreaterThan(PACKETS / 2);
        assertThat(verdicts).as("the packets took more than one way through %s", entry).hasSizeGreaterThan(1);
    }

    static boolean shortIpFrame(byte[] p) {
        int type = (p[12] & 0xff) << 8 | (p[13] & 0xff);
        return type == 0x0800 && p.length < 14 + 20 || type == 0x86dd && p.length < 14 + 40;
    }

    /** The per-CPU counters summed over CPUs (the kernel's test run may run on any CPU, the VM on CPU 0). */
    static String counters(Map<String, ? extends RawMap> maps) {
        StringBuilder sb = new StringBuilder();
        maps.forEach((name, m) -> {
            if (m.spec().type() == MapType.PERCPU_HASH) {
                sb.append(perCpuHash(name, m));
                return;
            }
            if (m.spec().type() != MapType.PERCPU_ARRAY) {
                return;
            }
            int cpus = m.valueBufferSize() / 16;
            for (int i = 0; i < m.spec().maxEntries(); i++) {
                byte[] key = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(i).array();
                byte[] v = new byte[m.valueBufferSize()];
                m.lookup(key, v);
                ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
                long packets = 0;
                long bytes = 0;
                for (int c = 0; c < cpus; c++) {
                    packets += b.getLong(c * 16);
                    bytes += b.getLong(c * 16 + 8);
                }
                sb.append(name).append('[').append(i).append("]=").append(packets).append('/').append(bytes).append(' ');
            }
        });
        return sb.toString();
    }

    /** Every key of a per-CPU hash with its packets/bytes summed over CPUs, in key order. */
    static String perCpuHash(String name, RawMap m) {
        TreeMap<String, String> out = new TreeMap<>();
        byte[] key = null;
        byte[] next = new byte[m.spec().keySize()];
        while (m.nextKey(key, next)) {
            byte[] v = new byte[m.valueBufferSize()];
            m.lookup(next, v);
            ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
            long packets = 0;
            long bytes = 0;
            for (int c = 0; c < v.length / 16; c++) {
                packets += b.getLong(c * 16);
                bytes += b.getLong(c * 16 + 8);
            }
            out.put(HEX.formatHex(next), packets + "/" + bytes);
            key = next.clone();
        }
        return name + out + " ";
    }

    static String kernelRings(Map<String, RingBufferReader> rings) {
        StringBuilder sb = new StringBuilder();
        rings.forEach((name, reader) -> reader.drain((buf, off, len) -> {
            byte[] rec = new byte[len];
            buf.get(off, rec);
            sb.append(name).append(':').append(HEX.formatHex(rec)).append('\n');
        }));
        return sb.toString();
    }

    static String vmRings(VmPacketProgram vm) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(vm.maps()).forEach((name, m) -> {
            if (m instanceof MemoryRingBuffer ring) {
                for (byte[] rec : ring.drain()) {
                    sb.append(name).append(':').append(HEX.formatHex(rec)).append('\n');
                }
            }
        });
        return sb.toString();
    }
}
