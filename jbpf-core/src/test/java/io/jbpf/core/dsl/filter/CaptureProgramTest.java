package io.jbpf.core.dsl.filter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.dsl.PacketProgram;
import io.jbpf.core.dsl.Target;
import io.jbpf.core.dsl.VmPacketProgram;
import io.jbpf.core.dsl.cbpf.CbpfConverter;
import io.jbpf.core.map.MemoryRingBuffer;
import io.jbpf.core.map.MapType;
import io.jbpf.core.vm.Engine;
import io.jbpf.core.vm.Vm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The capture program in jbpf's VM (interpreter and JIT), on XDP and TC: it passes every frame,
 * counts every frame and each match, and writes exactly the matching frames' heads (cut at the
 * snap length) with their lengths, as {@link PcapFilter#matches} decides. The kernel's verdict on
 * the same programs is CaptureProgramKernelTest in jbpf-maps.
 */
public class CaptureProgramTest {
    public static final String[] EXPRESSIONS = {"icmp", "udp port 53", "tcp[tcpflags] & tcp-syn != 0", "arp", "ip6",
        "greater 200", "", "ip and arp", "ip[2:2] > 100 or icmp"};

    /** Ethernet frames of several kinds and sizes (the addresses are documentation ones). */
    public static List<byte[]> frames() {
        HexFormat hex = HexFormat.of();
        List<byte[]> f = new ArrayList<>();
        f.add(ipv4(1, new byte[] {8, 0, 0x12, 0x34, 0, 1, 0, 1, 'p', 'i', 'n', 'g'})); // ICMP echo request
        f.add(ipv4(17, udp(5353, 53, 4))); // UDP to 53
        f.add(ipv4(17, udp(40000, 9999, 400))); // a long UDP datagram: truncated at the snap length
        f.add(ipv4(6, hex.parseHex("9c40005000000001000000005002ffff00000000"))); // TCP SYN
        f.add(ipv4(6, hex.parseHex("9c40005000000001000000005010ffff00000000"))); // TCP ACK
        f.add(hex.parseHex("ffffffffffff0200000000010806000108000604000102000000000" + "1c0000201000000000000c0000202"));
        byte[] v6 = new byte[14 + 40 + 8];
        ByteBuffer b = ByteBuffer.wrap(v6);
        b.put(hex.parseHex("3333000000010200000000018" + "6dd"));
        b.putInt(0x60000000).putShort((short) 8).put((byte) 58).put((byte) 64);
        b.put(hex.parseHex("20010db8000000000000000000000001")).put(hex.parseHex("ff020000000000000000000000000001"));
        b.put(hex.parseHex("8000000000010001"));
        f.add(v6);
        f.add(Arrays.copyOf(ipv4(1, new byte[200]), 260)); // an ICMP echo reply with trailing padding
        f.add(hex.parseHex("0200000000020200000000018" + "8b5" + "00"));  // an unknown EtherType, 15 bytes
        return f;
    }

    static byte[] ipv4(int proto, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + payload.length);
        b.put(HexFormat.of().parseHex("020000000002020000000001" + "0800"));
        b.putShort((short) 0x4500).putShort((short) (20 + payload.length)).putInt(0x00014000);
        b.put((byte) 64).put((byte) proto).putShort((short) 0);
        b.put(new byte[] {(byte) 192, 0, 2, 1}).put(new byte[] {(byte) 192, 0, 2, 2});
        b.put(payload);
        return b.array();
    }

    static byte[] udp(int src, int dst, int payload) {
        ByteBuffer b = ByteBuffer.allocate(8 + payload);
        b.putShort((short) src).putShort((short) dst).putShort((short) (8 + payload)).putShort((short) 0);
        for (int i = 0; i < payload; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    /** What the program must write for {@code frames}: the matches' lengths and heads. */
    public static List<CaptureRecord> expected(PcapFilter f, List<byte[]> frames, int snap) {
        List<CaptureRecord> out = new ArrayList<>();
        for (byte[] fr : frames) {
            if (f.matches(fr, fr.length)) {
                out.add(new CaptureRecord(fr.length, Arrays.copyOf(fr, Math.min(snap, fr.length))));
            }
        }
        return out;
    }

    @Test
    void writesExactlyTheMatchingHeadsAndCountsInTheVm() {
        List<byte[]> frames = frames();
        for (String expr : EXPRESSIONS) {
            PcapFilter f = PcapFilter.compile(expr);
            for (Target t : List.of(Target.XDP, Target.TC_INGRESS, Target.TC_EGRESS)) {
                for (int snap : new int[] {128, 256, 20}) {
                    CaptureProgram cap = CaptureProgram.of(f, t, snap, 1 << 16);
                    for (Engine e : List.of(Engine.INTERPRETER, Engine.JIT)) {
                        String what = "'" + expr + "' on " + t + ", snap " + snap + ", " + e;
                        VmPacketProgram vm = cap.program().loadVm(Vm.builder().engine(e).build());
                        for (byte[] fr : frames) {
                            assertThat(vm.run(fr).returnValue()).as(what + ": passes every frame")
                                    .isEqualTo(t.passVerdict());
                        }
                        List<CaptureRecord> got = new ArrayList<>();
                        for (byte[] r : ((MemoryRingBuffer) vm.map(CaptureProgram.RING_MAP)).drain()) {
                            got.add(CaptureRecord.decode(r));
                        }
                        List<CaptureRecord> want = expected(f, frames, snap);
                        assertThat(got).as(what).isEqualTo(want);
                        assertThat(CaptureProgram.packets(vm.map(CaptureProgram.COUNT_MAP), CaptureProgram.SEEN))
                                .as(what).isEqualTo(frames.size());
                        assertThat(CaptureProgram.packets(vm.map(CaptureProgram.COUNT_MAP), CaptureProgram.MATCHED))
                                .as(what).isEqualTo(want.size());
                    }
                }
            }
        }
    }

    @Test
    void theCorpusExercisesMatchesMissesTruncationAndConstantFilters() {
        List<byte[]> frames = frames();
        assertThat(expected(PcapFilter.compile("icmp"), frames, 128)).hasSize(2)
                .anySatisfy(r -> assertThat(r.truncated()).isTrue());
        assertThat(expected(PcapFilter.compile("udp port 53"), frames, 128)).hasSize(1);
        assertThat(expected(PcapFilter.compile("ip and arp"), frames, 128)).isEmpty();
        assertThat(expected(PcapFilter.compile(""), frames, 128)).hasSize(frames.size());
        // the empty filter never reaches "no match" and "ip and arp" never "match": the predicate
        // must keep both of the DSL's labels reachable for the verifier
        assertThat(exits("")).isEqualTo(new CbpfConverter.Exits(true, false));
        assertThat(exits("ip and arp")).isEqualTo(new CbpfConverter.Exits(false, true));
    }

    private static CbpfConverter.Exits exits(String expr) {
        return CbpfConverter.emitFragment(new Assembler(), PcapFilter.compile(expr).classic(), CbpfConverter.Hook.XDP,
                "t_", "m", "n", -64);
    }

    @Test
    void theProgramIsAPlainValueWithTheDocumentedMaps() {
        PcapFilter f = PcapFilter.compile("icmp");
        CaptureProgram a = CaptureProgram.of(f, Target.XDP);
        assertThat(a).isEqualTo(CaptureProgram.of(PcapFilter.compile("icmp"), Target.XDP));
        assertThat(a).isNotEqualTo(CaptureProgram.of(f, Target.XDP, 64, CaptureProgram.DEFAULT_RING_SIZE));
        assertThat(a.snapLength()).isEqualTo(CaptureProgram.DEFAULT_SNAP_LENGTH);
        PacketProgram p = a.program();
        assertThat(p.map(CaptureProgram.RING_MAP)).hasValueSatisfying(m -> {
            assertThat(m.type()).isEqualTo(MapType.RINGBUF);
            assertThat(m.maxEntries()).isEqualTo(CaptureProgram.DEFAULT_RING_SIZE);
        });
        assertThat(p.map(CaptureProgram.COUNT_MAP)).hasValueSatisfying(m -> {
            assertThat(m.type()).isEqualTo(MapType.PERCPU_ARRAY);
            assertThat(m.maxEntries()).isEqualTo(2);
        });
    }

    @Test
    void refusesWhatItCannotBuild() {
        PcapFilter f = PcapFilter.compile("icmp");
        assertThatThrownBy(() -> CaptureProgram.of(f, Target.SOCKET_FILTER)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SOCKET_FILTER");
        assertThatThrownBy(() -> CaptureProgram.of(f, Target.XDP, 257, 4096)).hasMessageContaining("1..256");
        assertThatThrownBy(() -> CaptureProgram.of(f, Target.XDP, 0, 4096)).hasMessageContaining("snap length 0");
        assertThatThrownBy(() -> CaptureProgram.of(f, Target.XDP, 64, 5000)).hasMessageContaining("power of two");
        // the predicate alone in a socket filter: the DSL refuses it when building
        assertThatThrownBy(() -> PacketProgram.forTarget(Target.SOCKET_FILTER)
                .when(io.jbpf.core.dsl.Dsl.code(f.predicate())).then(io.jbpf.core.dsl.Dsl.drop()).build())
                .hasMessageContaining("cannot be used in a SOCKET_FILTER program");
    }

    @Test
    void recordsDecodeTheirLengthAndHead() {
        byte[] rec = ByteBuffer.allocate(7).order(ByteOrder.nativeOrder()).putInt(300).put(new byte[] {1, 2, 3}).array();
        CaptureRecord r = CaptureRecord.decode(rec);
        assertThat(r.originalLength()).isEqualTo(300);
        assertThat(r.data()).containsExactly(1, 2, 3);
        assertThat(r.truncated()).isTrue();
        assertThat(r.capturedLength()).isEqualTo(3);
        assertThatThrownBy(() -> CaptureRecord.decode(new byte[3])).hasMessageContaining("3 bytes");
        byte[] bad = ByteBuffer.allocate(7).order(ByteOrder.nativeOrder()).putInt(2).put(new byte[3]).array();
        assertThatThrownBy(() -> CaptureRecord.decode(bad)).hasMessageContaining("3 captured bytes");
    }
}
