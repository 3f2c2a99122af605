package io.jbpf.core.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.JbpfException;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.internal.sys.Cpus;
import io.jbpf.core.testing.KernelTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@KernelTest
class KernelMapTest {

    static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    static byte[] u64(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array();
    }

    @Test
    void hashMapElementOperations() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_hash", MapType.HASH, 4, 8, 16))) {
            byte[] v = new byte[8];
            assertThat(m.lookup(u32(1), v)).isFalse();
            m.update(u32(1), u64(42), MapFlags.ANY);
            assertThat(m.lookup(u32(1), v)).isTrue();
            assertThat(v).isEqualTo(u64(42));
            assertThatThrownBy(() -> m.update(u32(1), u64(7), MapFlags.NOEXIST))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
            assertThatThrownBy(() -> m.update(u32(2), u64(7), MapFlags.EXIST))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
            m.update(u32(2), u64(7), MapFlags.NOEXIST);
            byte[] k = new byte[4];
            assertThat(m.nextKey(null, k)).isTrue();
            byte[] k2 = new byte[4];
            assertThat(m.nextKey(k, k2)).isTrue();
            assertThat(m.nextKey(k2, new byte[4])).isFalse();
            assertThat(java.util.Set.of(ByteBuffer.wrap(k), ByteBuffer.wrap(k2)))
                    .containsExactlyInAnyOrder(ByteBuffer.wrap(u32(1)), ByteBuffer.wrap(u32(2)));
            assertThat(m.delete(u32(1))).isTrue();
            assertThat(m.delete(u32(1))).isFalse();
            assertThat(m.info().spec()).isEqualTo(m.spec());
            assertThat(MapInfo.ids()).contains(m.id());
        }
    }

    @Test
    void badSizesAreRefusedBeforeTheKernel() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_sizes", MapType.HASH, 4, 8, 4))) {
            assertThatThrownBy(() -> m.update(new byte[3], u64(1), MapFlags.ANY))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key is 3 bytes")
                    .hasMessageContaining("keys are 4");
            assertThatThrownBy(() -> m.lookup(u32(1), new byte[4]))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("values are 8");
        }
    }

    @Test
    void aFullMapSaysE2big() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_full", MapType.HASH, 4, 8, 2))) {
            m.update(u32(1), u64(1), MapFlags.ANY);
            m.update(u32(2), u64(2), MapFlags.ANY);
            assertThatThrownBy(() -> m.update(u32(3), u64(3), MapFlags.ANY))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG))
                    .hasMessageContaining("update in map 'jbpf_t_full'");
        }
    }

    @Test
    void perCpuValuesHoldOneSlotPerPossibleCpu() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_pcpu", MapType.PERCPU_ARRAY, 4, 4, 1))) {
            assertThat(m.valueBufferSize()).isEqualTo(8 * Cpus.possible());
            byte[] v = new byte[m.valueBufferSize()];
            v[0] = 5;
            v[v.length - 8] = 9;
            m.update(u32(0), v, MapFlags.ANY);
            byte[] back = new byte[v.length];
            assertThat(m.lookup(u32(0), back)).isTrue();
            assertThat(back).isEqualTo(v);
        }
    }

    @Test
    void frozenMapsRefuseWrites() {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_frozen", MapType.ARRAY, 4, 8, 1))) {
            m.update(u32(0), u64(3), MapFlags.ANY);
            m.freeze();
            assertThatThrownBy(() -> m.update(u32(0), u64(4), MapFlags.ANY))
                    .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
            byte[] v = new byte[8];
            assertThat(m.lookup(u32(0), v)).isTrue();
            assertThat(v).isEqualTo(u64(3));
        }
    }

    @Test
    void useAfterCloseThrows() {
        KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_closed", MapType.ARRAY, 4, 8, 1));
        m.close();
        m.close();
        assertThatThrownBy(() -> m.lookup(u32(0), new byte[8])).isInstanceOf(ObjectClosedException.class)
                .hasMessageContaining("map 'jbpf_t_closed'");
    }

    @Test
    void pinsOpenAndReopenById() throws Exception {
        Bpffs.ensureMounted();
        Path pin = Path.of(Bpffs.DEFAULT_ROOT, "jbpf-test-map-" + ProcessHandle.current().pid());
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_t_pin", MapType.ARRAY, 4, 8, 2))) {
            m.update(u32(1), u64(77), MapFlags.ANY);
            m.pin(pin.toString());
            assertThatThrownBy(() -> KernelMap.openPinned(pin.toString(), MapSpec.of("x", MapType.ARRAY, 4, 4, 2)))
                    .isInstanceOf(JbpfException.class)
                    .hasMessageContaining("is ARRAY with 4-byte keys, 8-byte values, 2 entries")
                    .hasMessageContaining("not the expected ARRAY with 4-byte keys, 4-byte values");
            try (KernelMap checked = KernelMap.openPinned(pin.toString(), MapSpec.of("other_name", MapType.ARRAY, 4, 8, 2))) {
                assertThat(checked.id()).isEqualTo(m.id());
            }
            try (KernelMap again = KernelMap.openPinned(pin.toString()); KernelMap byId = KernelMap.fromId(m.id())) {
                assertThat(again.id()).isEqualTo(m.id());
                assertThat(again.spec()).isEqualTo(m.spec());
                byte[] v = new byte[8];
                assertThat(byId.lookup(u32(1), v)).isTrue();
                assertThat(v).isEqualTo(u64(77));
            }
        } finally {
            Files.deleteIfExists(pin);
        }
        assertThatThrownBy(() -> KernelMap.openPinned(pin.toString()))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThatThrownBy(() -> KernelMap.openPinned("/tmp/jbpf-not-bpffs"))
                .isInstanceOf(JbpfException.class).hasMessageContaining("not on a bpffs mount");
    }

    @Test
    void specValidation() {
        assertThatThrownBy(() -> MapSpec.of("this-name-is-far-too-long", MapType.HASH, 4, 4, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 15");
        assertThatThrownBy(() -> KernelMap.create(MapSpec.of("jbpf_t_bad", MapType.HASH, 0, 4, 1)))
                .isInstanceOfSatisfying(BpfException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageContaining("map 'jbpf_t_bad' (HASH)");
    }
}
