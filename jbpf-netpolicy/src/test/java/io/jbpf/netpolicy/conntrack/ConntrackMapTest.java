package io.jbpf.netpolicy.conntrack;

import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.CLIENT;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.SERVER;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.key;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.tcp;
import static io.jbpf.netpolicy.conntrack.ConntrackStepTest.udp;
import static io.jbpf.netpolicy.policy.Direction.EGRESS;
import static io.jbpf.netpolicy.policy.Direction.INGRESS;
import static io.jbpf.test.packet.TcpFlag.ACK;
import static io.jbpf.test.packet.TcpFlag.FIN;
import static io.jbpf.test.packet.TcpFlag.SYN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.insn.Size;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.netpolicy.lab.Ipv4;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The conntrack map from Java: codecs, the clock the GC compares with, listing and GC on kernel and VM maps. */
@KernelTest
class ConntrackMapTest {

    @Test
    void keysAndValuesRoundTripThroughTheirBytes() {
        ConntrackKey k = key(CLIENT, SERVER, 40000, 80, 6, EGRESS);
        byte[] b = k.toBytes();
        assertThat(b).hasSize(ConntrackMap.KEY_SIZE);
        assertThat(ByteBuffer.wrap(b).getInt(0)).isEqualTo(Ipv4.parse(CLIENT).bits());
        assertThat(b[8] & 0xff).isEqualTo(40000 >> 8);
        assertThat(b[ConntrackMap.DIRECTION]).isEqualTo((byte) 1);
        assertThat(ConntrackKey.decode(b)).isEqualTo(k);
        assertThat(k.reversed()).isEqualTo(key(SERVER, CLIENT, 80, 40000, 6, INGRESS));
        assertThat(k.reversed().reversed()).isEqualTo(k);
        assertThat(k).hasToString("TCP OUT 10.0.1.5:40000 -> 10.0.2.7:80");

        ConntrackValue v = new ConntrackValue(1, 60, 2, 120, 0xFFFF_FFF0L, 5, 0x02, 0x12, 5, -7);
        ConntrackValue back = ConntrackValue.decode(v.toBytes());
        assertThat(back).isEqualTo(v);
        assertThat(ByteBuffer.wrap(v.toBytes()).order(ByteOrder.nativeOrder()).getInt(ConntrackMap.LIFETIME))
                .isEqualTo(0xFFFF_FFF0);
        assertThat(v.expiredAt(0xFFFF_FFF0L)).isFalse();
        assertThat(v.expiredAt(0xFFFF_FFF1L)).isTrue();

        assertThatThrownBy(() -> ConntrackKey.decode(new byte[15])).hasMessageContaining("16 bytes");
        byte[] badDir = k.toBytes();
        badDir[ConntrackMap.DIRECTION] = 2;
        assertThatThrownBy(() -> ConntrackKey.decode(badDir)).hasMessageContaining("direction byte 2");
        assertThatThrownBy(() -> ConntrackValue.decode(new byte[47])).hasMessageContaining("48 bytes");
        assertThatThrownBy(() -> key(CLIENT, SERVER, 70000, 80, 6, EGRESS)).hasMessageContaining("0-65535");
        assertThatThrownBy(() -> ConntrackMap.spec("ct", 0)).hasMessageContaining("at least one");
        assertThatThrownBy(() -> ConntrackResult.of(4)).hasMessageContaining("not 0-3");
    }

    @Test
    void theGcClockIsTheClockOfKtimeGetNs() {
        // a program that stores bpf_ktime_get_ns() in an array map
        ProgramSpec spec = ProgramSpec.builder("jbpf_ct_clock", ProgramType.SCHED_CLS).instructions(new Assembler()
                .call(Helper.KTIME_GET_NS).store(Size.DW, Reg.R10, -8, Reg.R0)
                .store(Size.W, Reg.R10, -12, 0)
                .ldMap(Reg.R1, "clock").mov(Reg.R2, Reg.R10).add(Reg.R2, -12).mov(Reg.R3, Reg.R10).add(Reg.R3, -8)
                .mov(Reg.R4, 0).call(Helper.MAP_UPDATE_ELEM).mov(Reg.R0, 0).exit().build()).build();
        try (KernelMap clock = KernelMap.create(MapSpec.of("jbpf_ct_clk", MapType.ARRAY, 4, 8, 1));
                Program p = Program.load(spec, Map.of("clock", clock))) {
            for (int i = 0; i < 5; i++) {
                long before = ConntrackMap.kernelNowNanos();
                p.testRun(TestRun.withData(new byte[64]));
                long after = ConntrackMap.kernelNowNanos();
                byte[] v = new byte[8];
                assertThat(clock.lookup(new byte[4], v)).isTrue();
                long kernel = ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getLong();
                assertThat(kernel).isBetween(before, after);
            }
        }
    }

    @Test
    void gcDeletesTheExpiredEntriesAndOnlyThoseInTheKernel() {
        try (CtHooks h = new CtHooks("jbpf_ct_gc", 1024)) {
            // established (21600 s), closed (10 s), SYN only (60 s), UDP (60 s)
            h.kernel(EGRESS, true, tcp(CLIENT, SERVER, 40000, 80, SYN));
            h.kernel(INGRESS, false, tcp(SERVER, CLIENT, 80, 40000, SYN, ACK));
            h.kernel(EGRESS, false, tcp(CLIENT, SERVER, 40000, 80, ACK));
            h.kernel(EGRESS, true, tcp(CLIENT, SERVER, 40001, 80, SYN));
            h.kernel(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, SYN, ACK));
            h.kernel(EGRESS, false, tcp(CLIENT, SERVER, 40001, 80, FIN, ACK));
            h.kernel(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, FIN, ACK));
            h.kernel(EGRESS, true, tcp(CLIENT, SERVER, 40002, 80, SYN));
            h.kernel(EGRESS, true, udp(CLIENT, SERVER, 5353, 53));
            gcStory(h.kernelMap, ConntrackMap.kernelNowNanos());
        }
    }

    @Test
    void gcDeletesTheExpiredEntriesAndOnlyThoseInTheVm() {
        try (CtHooks h = new CtHooks("jbpf_ct_gcvm", 1024)) {
            h.vm(EGRESS, true, tcp(CLIENT, SERVER, 40000, 80, SYN));
            h.vm(INGRESS, false, tcp(SERVER, CLIENT, 80, 40000, SYN, ACK));
            h.vm(EGRESS, false, tcp(CLIENT, SERVER, 40000, 80, ACK));
            h.vm(EGRESS, true, tcp(CLIENT, SERVER, 40001, 80, SYN));
            h.vm(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, SYN, ACK));
            h.vm(EGRESS, false, tcp(CLIENT, SERVER, 40001, 80, FIN, ACK));
            h.vm(INGRESS, false, tcp(SERVER, CLIENT, 80, 40001, FIN, ACK));
            h.vm(EGRESS, true, tcp(CLIENT, SERVER, 40002, 80, SYN));
            h.vm(EGRESS, true, udp(CLIENT, SERVER, 5353, 53));
            gcStory(h.vmMap, h.vmClock.get());
        }
    }

    private static void gcStory(RawMap map, long now) {
        long s = 1_000_000_000L;
        ConntrackKey established = key(CLIENT, SERVER, 40000, 80, 6, EGRESS);
        ConntrackKey closed = key(CLIENT, SERVER, 40001, 80, 6, EGRESS);
        ConntrackKey synOnly = key(CLIENT, SERVER, 40002, 80, 6, EGRESS);
        ConntrackKey udpFlow = key(CLIENT, SERVER, 5353, 53, 17, EGRESS);
        assertThat(ConntrackMap.list(map)).containsOnlyKeys(established, closed, synOnly, udpFlow);
        assertThat(ConntrackMap.list(map).get(closed).closing()).isTrue();

        assertThat(ConntrackMap.gc(map, now)).isEqualTo(new GcResult(4, 0));
        assertThat(ConntrackMap.gc(map, now + 30 * s)).isEqualTo(new GcResult(4, 1));
        assertThat(ConntrackMap.list(map)).containsOnlyKeys(established, synOnly, udpFlow);
        assertThat(ConntrackMap.gc(map, now + 65 * s)).isEqualTo(new GcResult(3, 2));
        assertThat(ConntrackMap.list(map)).containsOnlyKeys(established);
        assertThat(ConntrackMap.gc(map, now + 21000 * s)).isEqualTo(new GcResult(1, 0));
        assertThat(ConntrackMap.gc(map, now + 21605 * s)).isEqualTo(new GcResult(1, 1));
        assertThat(ConntrackMap.list(map)).isEmpty();
    }

    @Test
    void putAndLookupAndTheSizeCheck() {
        try (KernelMap map = KernelMap.create(ConntrackMap.spec("jbpf_ct_put", 16));
                KernelMap other = KernelMap.create(MapSpec.of("jbpf_ct_oth", MapType.HASH, 16, 24, 4))) {
            ConntrackKey k = key(CLIENT, SERVER, 1, 2, 17, INGRESS);
            ConntrackValue v = new ConntrackValue(3, 300, 0, 0, 1000, 900, 0, 0, 0, 9);
            assertThat(ConntrackMap.lookup(map, k)).isNull();
            ConntrackMap.put(map, k, v);
            assertThat(ConntrackMap.lookup(map, k)).isEqualTo(v);
            assertThat(ConntrackMap.describe(map, 950L * 1_000_000_000L))
                    .containsExactly("UDP IN 10.0.1.5:1 -> 10.0.2.7:2 expires=50s TxPackets=3 TxBytes=300 RxPackets=0"
                            + " RxBytes=0 TxFlagsSeen=0x00 RxFlagsSeen=0x00 Created=900 SourceSecurityID=9");
            assertThatThrownBy(() -> ConntrackMap.gc(other, 0)).hasMessageContaining("not a conntrack map");
            ConntrackMap.put(map, key(SERVER, CLIENT, 1, 2, 17, EGRESS), v);
            assertThat(ConntrackMap.clear(map)).isEqualTo(2);
            assertThat(ConntrackMap.list(map)).isEmpty();
        }
        MemoryMap vm = MemoryMap.create(ConntrackMap.spec("ct", 4));
        ConntrackMap.put(vm, key(CLIENT, SERVER, 1, 2, 17, INGRESS), new ConntrackValue(0, 0, 0, 0, 5, 5, 0, 0, 0, 0));
        assertThat(ConntrackMap.gc(vm, 6_000_000_000L)).isEqualTo(new GcResult(1, 1));
    }

    /** The datapath refreshing {@code refreshed} (lifetime 500) after the GC's pass read it and before it takes it out. */
    private static RawMap refreshingBetweenPassAndDelete(RawMap map, ConntrackKey refreshed, ConntrackKey recreated) {
        return new RawMap() {
            @Override
            public io.jbpf.core.map.MapSpec spec() {
                return map.spec();
            }

            @Override
            public boolean lookup(byte[] key, byte[] value) {
                return map.lookup(key, value);
            }

            @Override
            public void update(byte[] key, byte[] value, long flags) {
                map.update(key, value, flags);
            }

            @Override
            public boolean lookupAndDelete(byte[] key, byte[] value) {
                ConntrackKey k = ConntrackKey.decode(key);
                if (k.equals(refreshed) || k.equals(recreated)) {
                    ConntrackValue v = ConntrackMap.lookup(map, k);
                    ConntrackMap.put(map, k, new ConntrackValue(v.txPackets() + 1, v.txBytes(), 0, 0, 500, v.created(), 0, 0, 0, 7));
                }
                boolean found = map.lookupAndDelete(key, value);
                if (k.equals(recreated)) {
                    // and a new connection of the same tuple right after the GC took it out
                    ConntrackMap.put(map, k, new ConntrackValue(1, 60, 0, 0, 600, 450, 0, 0, 0, 8));
                }
                return found;
            }

            @Override
            public boolean delete(byte[] key) {
                return map.delete(key);
            }

            @Override
            public boolean nextKey(byte[] key, byte[] next) {
                return map.nextKey(key, next);
            }

            @Override
            public int valueBufferSize() {
                return map.valueBufferSize();
            }

            @Override
            public int forEachEntry(java.util.function.BiConsumer<byte[], byte[]> action) {
                return map.forEachEntry(action);
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void gcKeepsWhatTheDatapathRefreshedAfterItsPassAndANewEntryOfTheSameTuple() {
        try (KernelMap kernel = KernelMap.create(ConntrackMap.spec("jbpf_ct_gcrf", 16))) {
            for (RawMap map : new RawMap[] {kernel, MemoryMap.create(ConntrackMap.spec("ct", 16))}) {
                ConntrackKey stale = key(CLIENT, SERVER, 40000, 80, 6, EGRESS);
                ConntrackKey refreshed = key(CLIENT, SERVER, 40001, 80, 6, EGRESS);
                ConntrackKey recreated = key(CLIENT, SERVER, 40002, 80, 6, EGRESS);
                ConntrackKey live = key(CLIENT, SERVER, 40003, 80, 6, EGRESS);
                for (ConntrackKey k : new ConntrackKey[] {stale, refreshed, recreated}) {
                    ConntrackMap.put(map, k, new ConntrackValue(1, 60, 0, 0, 100, 50, 0, 0, 0, 7));
                }
                ConntrackMap.put(map, live, new ConntrackValue(1, 60, 0, 0, 300, 50, 0, 0, 0, 7));
                RawMap racing = refreshingBetweenPassAndDelete(map, refreshed, recreated);
                // at 200 s the pass finds three expired; only the stale one is really gone
                assertThat(ConntrackMap.gc(racing, 200 * 1_000_000_000L)).isEqualTo(new GcResult(4, 1));
                Map<ConntrackKey, ConntrackValue> left = ConntrackMap.list(map);
                assertThat(left).containsOnlyKeys(refreshed, recreated, live);
                assertThat(left.get(refreshed).lifetime()).as("put back as the datapath left it").isEqualTo(500);
                assertThat(left.get(refreshed).txPackets()).isEqualTo(2);
                assertThat(left.get(recreated).lifetime()).as("the datapath's new entry wins").isEqualTo(600);
                assertThat(left.get(recreated).sourceIdentity()).isEqualTo(8);
            }
        }
    }
}
