package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.btf.BtfWriter;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapBtf;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import io.jbpf.maps.codec.RecordCodec;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Record codecs are checked against the BTF a map was created with. */
@KernelTest
class BtfLayoutTest {
    /** C: {@code struct flow { __u32 packets; __u64 bytes; }}, 16 bytes. */
    record Flow(int packets, long bytes) {
    }

    /** The same size, but the fields the other way round. */
    record Swapped(long bytes, int packets) {
    }

    /** One field short. */
    record Short(int packets) {
    }

    static MapSpec flowMap() {
        return flowMap("jbpf_t_flows", MapType.HASH);
    }

    /** A map of {@code type} with u32 keys and {@code struct flow} values, both described by BTF. */
    static MapSpec flowMap(String name, MapType type) {
        List<BtfType> types = List.of(new BtfType.Void(),
                new BtfType.Int(1, "unsigned int", 4, false, false, false, 0, 32),
                new BtfType.Int(2, "unsigned long long", 8, false, false, false, 0, 64),
                new BtfType.Struct(3, "flow", false, 16, List.of(new BtfType.Member("packets", 1, 0, 0),
                        new BtfType.Member("bytes", 2, 64, 0))));
        byte[] btf = BtfWriter.write(types, ByteOrder.nativeOrder());
        return MapSpec.of(name, type, 4, 16, 8).withBtf(new MapBtf(btf, 1, 3));
    }

    @Test
    void aMatchingRecordIsAcceptedAndAMismatchNamesTheField() {
        try (KernelMap raw = KernelMap.create(flowMap())) {
            assertThat(raw.createdInfo().btfValueTypeId()).isEqualTo(3);
            assertThat(raw.btf().orElseThrow().find(BtfKind.STRUCT, "flow")).isPresent();
            BpfHashMap<Integer, Flow> flows = BpfHashMap.of(raw, Codecs.u32(), RecordCodec.of(Flow.class));
            flows.put(7, new Flow(3, 1500));
            assertThat(flows.get(7)).isEqualTo(new Flow(3, 1500));
            assertThatThrownBy(() -> BpfHashMap.of(raw, Codecs.u32(), RecordCodec.of(Swapped.class)))
                    .isInstanceOf(MapMismatchException.class)
                    .hasMessageContaining("field 'bytes' is at offset 0 with 8 bytes")
                    .hasMessageContaining("member 'packets' of STRUCT 'flow'");
        }
    }

    @Test
    void perCpuValuesAreCheckedPerCpuAgainstTheBtfValueType() {
        try (KernelMap hash = KernelMap.create(flowMap("jbpf_t_pcflows", MapType.PERCPU_HASH));
                KernelMap array = KernelMap.create(flowMap("jbpf_t_pcaflows", MapType.PERCPU_ARRAY));
                KernelMap lru = KernelMap.create(flowMap("jbpf_t_lpcflows", MapType.LRU_PERCPU_HASH))) {
            BpfPerCpuHashMap<Integer, Flow> flows = BpfPerCpuHashMap.of(hash, Codecs.u32(), RecordCodec.of(Flow.class));
            flows.putOnEveryCpu(1, new Flow(2, 3));
            assertThat(flows.get(1)).containsOnly(new Flow(2, 3));
            assertThat(BpfPerCpuArray.of(array, RecordCodec.of(Flow.class)).get(0)).containsOnly(new Flow(0, 0));
            assertThat(BpfLruPerCpuHashMap.of(lru, Codecs.u32(), RecordCodec.of(Flow.class)).get(1)).isNull();

            assertThatThrownBy(() -> BpfPerCpuHashMap.of(hash, Codecs.u32(), RecordCodec.of(Swapped.class)))
                    .isInstanceOf(MapMismatchException.class)
                    .hasMessageContaining("jbpf_t_pcflows")
                    .hasMessageContaining("field 'bytes' is at offset 0 with 8 bytes")
                    .hasMessageContaining("member 'packets' of STRUCT 'flow'");
            assertThatThrownBy(() -> BpfPerCpuArray.of(array, RecordCodec.of(Swapped.class)))
                    .isInstanceOf(MapMismatchException.class)
                    .hasMessageContaining("field 'bytes' is at offset 0");
            assertThatThrownBy(() -> BpfLruPerCpuHashMap.of(lru, Codecs.u32(), RecordCodec.of(Swapped.class)))
                    .isInstanceOf(MapMismatchException.class)
                    .hasMessageContaining("field 'bytes' is at offset 0");
        }
    }

    @Test
    void aMismatchedPerCpuMapOpenedByIdIsClosedAgain() {
        try (KernelMap hash = KernelMap.create(flowMap("jbpf_t_pcflows", MapType.PERCPU_HASH))) {
            int id = hash.id();
            assertThatThrownBy(() -> BpfPerCpuHashMap.fromId(id, Codecs.u32(), RecordCodec.of(Swapped.class)))
                    .isInstanceOf(MapMismatchException.class).hasMessageContaining("field 'bytes'");
        } // LeakGuard fails the class if the fd opened by id was kept
    }

    @Test
    void sizesAreCheckedBeforeFields() {
        try (KernelMap raw = KernelMap.create(flowMap())) {
            assertThatThrownBy(() -> BpfHashMap.of(raw, Codecs.u32(), RecordCodec.of(Short.class)))
                    .isInstanceOf(MapMismatchException.class).hasMessageContaining("16-byte values");
        }
    }
}
