package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.Pins;
import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Opening typed maps from pins, and typed views over a map that is not a kernel map. */
@KernelTest
class PinAndViewTest {

    @Test
    void openPinnedChecksTheCodecsAndClosesOnMismatch() {
        Bpffs.ensureMounted();
        String pin = Path.of(Bpffs.DEFAULT_ROOT, "jbpf-test-typed-" + ProcessHandle.current().pid()).toString();
        try (BpfHashMap<Integer, Long> m = BpfHashMap.create("jbpf_t_tpin", 8, Codecs.u32(), Codecs.u64())) {
            m.put(5, 55L);
            m.pin(pin);
            try (BpfHashMap<Integer, Long> again = BpfHashMap.openPinned(pin, Codecs.u32(), Codecs.u64())) {
                assertThat(again.get(5)).isEqualTo(55L);
            }
            assertThatThrownBy(() -> BpfHashMap.openPinned(pin, Codecs.u64(), Codecs.u64()))
                    .isInstanceOf(MapMismatchException.class).hasMessageContaining("4-byte keys")
                    .hasMessageContaining("encodes 8 bytes");
            assertThatThrownBy(() -> BpfLruHashMap.openPinned(pin, Codecs.u32(), Codecs.u64()))
                    .isInstanceOf(MapMismatchException.class).hasMessageContaining("is a HASH, not a LRU_HASH");
            assertThatThrownBy(() -> BpfArray.openPinned(pin, Codecs.u64()))
                    .isInstanceOf(MapMismatchException.class);
        } finally {
            Pins.unpin(pin);
        }
    }

    /** A byte-level map in a java.util.HashMap: enough of RawMap for a hash view. */
    static final class HeapMap implements RawMap {
        final MapSpec spec;
        final Map<ByteBuffer, byte[]> entries = new HashMap<>();

        HeapMap(MapSpec spec) {
            this.spec = spec;
        }

        @Override
        public MapSpec spec() {
            return spec;
        }

        @Override
        public boolean lookup(byte[] key, byte[] value) {
            byte[] v = entries.get(ByteBuffer.wrap(key.clone()));
            if (v == null) {
                return false;
            }
            System.arraycopy(v, 0, value, 0, v.length);
            return true;
        }

        @Override
        public void update(byte[] key, byte[] value, long flags) {
            entries.put(ByteBuffer.wrap(key.clone()), value.clone());
        }

        @Override
        public boolean delete(byte[] key) {
            return entries.remove(ByteBuffer.wrap(key.clone())) != null;
        }

        @Override
        public boolean nextKey(byte[] key, byte[] next) {
            var it = entries.keySet().iterator();
            if (key != null) {
                ByteBuffer k = ByteBuffer.wrap(key);
                boolean found = false;
                while (it.hasNext() && !found) {
                    found = it.next().equals(k);
                }
                if (!found) {
                    it = entries.keySet().iterator();
                }
            }
            if (!it.hasNext()) {
                return false;
            }
            it.next().get(0, next);
            return true;
        }

        @Override
        public boolean lookupAndDelete(byte[] key, byte[] value) {
            return lookup(key, value) && delete(key);
        }

        @Override
        public int valueBufferSize() {
            return spec.valueSize();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void viewsWorkOverAnyRawMapWithSingleCalls() {
        HeapMap heap = new HeapMap(MapSpec.of("heap", MapType.HASH, 4, 8, 100));
        try (BpfHashMap<Integer, Long> m = BpfHashMap.of(heap, Codecs.u32(), Codecs.u64())) {
            Map<Integer, Long> want = new HashMap<>();
            for (int i = 0; i < 20; i++) {
                want.put(i, i * 2L);
            }
            m.putAll(want);
            assertThat(m.batchSupported()).isFalse();
            assertThat(m.getAll()).isEqualTo(want);
            assertThat(m.size()).isEqualTo(20);
            m.removeAll(want.keySet());
            assertThat(m.isEmpty()).isTrue();
            m.batchMode(BatchMode.BATCH);
            assertThatThrownBy(() -> m.putAll(want)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("kernel map");
            assertThatThrownBy(m::freeze).isInstanceOf(UnsupportedOperationException.class);
        }
    }
}
