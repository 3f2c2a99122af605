package io.jbpf.core.map;

import static io.jbpf.core.map.KernelMapTest.u32;
import static io.jbpf.core.map.KernelMapTest.u64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.features.Features;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.internal.btf.ProbeBtf;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every map type this kernel has: created from a spec, and its user-space operations at the byte level. */
@KernelTest
class MapTypesTest {

    static KernelMap create(MapSpec spec) {
        Features.requireMapType(spec.type());
        return KernelMap.create(spec);
    }

    /** A UDP socket bound to an ephemeral port of 127.0.0.1 (nothing is sent). */
    static Fd boundUdpSocket() {
        int s = Sys.get().socket(2 /* AF_INET */, 2 /* SOCK_DGRAM */ | 0x80000 /* CLOEXEC */, 0);
        assertThat(s).isNotNegative();
        Fd fd = Fd.own(s, "udp socket");
        NativeBuffer addr = NativeBuffer.allocate(16);
        addr.buffer().putShort(0, (short) 2);
        addr.buffer().order(ByteOrder.BIG_ENDIAN).putInt(4, 0x7f000001);
        addr.buffer().order(ByteOrder.nativeOrder());
        assertThat(Sys.get().bind(s, addr.address(), 16)).isZero();
        return fd;
    }

    @Test
    void lpmTrieFindsTheLongestPrefix() {
        try (KernelMap m = create(MapSpec.of("jbpf_t_lpm", MapType.LPM_TRIE, 8, 8, 16).withFlags(MapFlags.NO_PREALLOC))) {
            m.update(lpmKey(8, 10, 0, 0, 0), u64(8), MapFlags.ANY);
            m.update(lpmKey(24, 10, 1, 2, 0), u64(24), MapFlags.ANY);
            byte[] v = new byte[8];
            assertThat(m.lookup(lpmKey(32, 10, 1, 2, 3), v)).isTrue();
            assertThat(v).isEqualTo(u64(24));
            assertThat(m.lookup(lpmKey(32, 10, 9, 9, 9), v)).isTrue();
            assertThat(v).isEqualTo(u64(8));
            assertThat(m.lookup(lpmKey(32, 11, 0, 0, 1), v)).isFalse();
            assertThatThrownBy(() -> m.update(lpmKey(33, 10, 0, 0, 0), u64(0), MapFlags.ANY))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
    }

    static byte[] lpmKey(int prefix, int a, int b, int c, int d) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putInt(prefix)
                .put((byte) a).put((byte) b).put((byte) c).put((byte) d).array();
    }

    @Test
    void lruHashEvictsTheLeastRecentlyUsed() {
        for (int flags : new int[] {0, MapFlags.NO_COMMON_LRU}) {
            try (KernelMap m = create(MapSpec.of("jbpf_t_lru", MapType.LRU_HASH, 4, 8, 64).withFlags(flags))) {
                for (int i = 0; i < 1000; i++) {
                    m.update(u32(i), u64(i), MapFlags.ANY); // never full: old entries make room
                }
                int present = 0;
                byte[] v = new byte[8];
                for (int i = 0; i < 1000; i++) {
                    present += m.lookup(u32(i), v) ? 1 : 0;
                }
                assertThat(present).as("flags %d", flags).isBetween(1, 64);
                assertThat(m.lookup(u32(999), v)).as("the newest entry stays").isTrue();
            }
        }
    }

    @Test
    void programArraysHoldPrograms() {
        try (KernelMap m = create(MapSpec.of("jbpf_t_progs", MapType.PROG_ARRAY, 4, 4, 4));
                Program p = Program.load(ProgramSpec.builder("jbpf_tail", ProgramType.XDP)
                        .instructions(new Assembler().mov(Reg.R0, 2).exit().build()).build())) {
            m.update(u32(1), u32(p.fd()), MapFlags.ANY);
            assertThat(m.delete(u32(1))).isTrue();
            assertThat(m.delete(u32(1))).isFalse();
            assertThatThrownBy(() -> m.update(u32(0), u32(m.fd()), MapFlags.ANY)).isInstanceOf(BpfException.class);
        }
    }

    @Test
    void deviceAndCpuMapsTakeTheirValues() {
        try (KernelMap dev = create(MapSpec.of("jbpf_t_dev", MapType.DEVMAP, 4, 4, 4));
                KernelMap devHash = create(MapSpec.of("jbpf_t_devh", MapType.DEVMAP_HASH, 4, 4, 4));
                KernelMap cpu = create(MapSpec.of("jbpf_t_cpu", MapType.CPUMAP, 4, 4, 1))) {
            dev.update(u32(0), u32(1 /* lo */), MapFlags.ANY);
            devHash.update(u32(77), u32(1), MapFlags.ANY);
            byte[] v = new byte[4];
            assertThat(dev.lookup(u32(0), v)).isTrue();
            assertThat(v).isEqualTo(u32(1));
            assertThat(devHash.lookup(u32(77), v)).isTrue();
            cpu.update(u32(0), u32(192 /* queue size */), MapFlags.ANY);
            assertThat(cpu.lookup(u32(0), v)).isTrue();
            assertThat(v).isEqualTo(u32(192));
            assertThatThrownBy(() -> dev.update(u32(1), u32(999_999), MapFlags.ANY))
                    .as("no such interface").isInstanceOfSatisfying(BpfException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        }
    }

    @Test
    void socketMapsTakeSocketsAndRefuseOtherFds() {
        try (KernelMap sockmap = create(MapSpec.of("jbpf_t_sockm", MapType.SOCKMAP, 4, 4, 2));
                KernelMap sockhash = create(MapSpec.of("jbpf_t_sockh", MapType.SOCKHASH, 4, 4, 2));
                KernelMap xsk = create(MapSpec.of("jbpf_t_xsk", MapType.XSKMAP, 4, 4, 2));
                Fd udp = boundUdpSocket()) {
            sockmap.update(u32(0), u32(udp.get()), MapFlags.ANY);
            sockhash.update(u32(42), u32(udp.get()), MapFlags.ANY);
            assertThat(sockmap.delete(u32(0))).isTrue();
            assertThat(sockhash.delete(u32(42))).isTrue();
            assertThatThrownBy(() -> xsk.update(u32(0), u32(udp.get()), MapFlags.ANY))
                    .as("an XSK map takes only AF_XDP sockets").isInstanceOf(BpfException.class);
            assertThatThrownBy(() -> sockmap.update(u32(1), u32(sockmap.fd()), MapFlags.ANY))
                    .isInstanceOf(BpfException.class);
        }
    }

    @Test
    void storageMapsNeedBtfAndAreKeyedByFd() {
        MapBtf intBtf = new MapBtf(ProbeBtf.intOnly(), ProbeBtf.INT_TYPE_ID, ProbeBtf.INT_TYPE_ID);
        assertThatThrownBy(() -> create(MapSpec.of("jbpf_t_skst", MapType.SK_STORAGE, 4, 4, 0)
                .withFlags(MapFlags.NO_PREALLOC)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        try (KernelMap sk = create(MapSpec.of("jbpf_t_skst", MapType.SK_STORAGE, 4, 4, 0)
                .withFlags(MapFlags.NO_PREALLOC).withBtf(intBtf));
                Fd udp = boundUdpSocket()) {
            sk.update(u32(udp.get()), u32(1234), MapFlags.ANY);
            byte[] v = new byte[4];
            assertThat(sk.lookup(u32(udp.get()), v)).isTrue();
            assertThat(v).isEqualTo(u32(1234));
            assertThat(sk.info().btfId()).isPositive();
        }
        for (MapType t : EnumSet.of(MapType.TASK_STORAGE, MapType.CGRP_STORAGE, MapType.INODE_STORAGE)) {
            try (KernelMap m = create(MapSpec.of("jbpf_t_store", t, 4, 4, 0).withFlags(MapFlags.NO_PREALLOC)
                    .withBtf(intBtf))) {
                assertThat(m.info().spec().type()).isEqualTo(t);
            }
        }
    }

    @Test
    void theRemainingTypesAreCreatedWithTheirShapes() {
        Set<MapSpec> specs = Set.of(
                MapSpec.of("jbpf_t_stack", MapType.STACK_TRACE, 4, 8 * 127, 16),
                MapSpec.of("jbpf_t_cga", MapType.CGROUP_ARRAY, 4, 4, 2),
                MapSpec.of("jbpf_t_perf", MapType.PERF_EVENT_ARRAY, 4, 4, 2),
                MapSpec.of("jbpf_t_ring", MapType.RINGBUF, 0, 0, 4096),
                MapSpec.of("jbpf_t_uring", MapType.USER_RINGBUF, 0, 0, 4096),
                MapSpec.of("jbpf_t_reuse", MapType.REUSEPORT_SOCKARRAY, 4, 8, 2),
                MapSpec.of("jbpf_t_hom", MapType.HASH_OF_MAPS, 4, 4, 2)
                        .withInnerMap(MapSpec.of("inner", MapType.HASH, 4, 4, 1)),
                MapSpec.of("jbpf_t_pch", MapType.PERCPU_HASH, 4, 8, 2),
                MapSpec.of("jbpf_t_lpch", MapType.LRU_PERCPU_HASH, 4, 8, 2));
        for (MapSpec spec : specs) {
            try (KernelMap m = create(spec)) {
                assertThat(m.info().spec().type()).isEqualTo(spec.type());
                assertThat(m.spec().compatibleWith(m.info().spec())).as("%s", spec.type()).isTrue();
            }
        }
        try (KernelMap st = create(MapSpec.of("jbpf_t_stack2", MapType.STACK_TRACE, 4, 8 * 127, 16))) {
            assertThat(st.lookup(u32(0), new byte[8 * 127])).isFalse();
        }
    }
}
