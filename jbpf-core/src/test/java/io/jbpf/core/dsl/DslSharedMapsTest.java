package io.jbpf.core.dsl;

import static io.jbpf.core.dsl.Dsl.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.vm.Vm;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Programs loaded with maps given to them share those maps, which stay their caller's. */
@KernelTest
class DslSharedMapsTest {

    static byte[] frame() {
        byte[] f = new byte[60];
        f[12] = 0x08;
        return f;
    }

    static long packets(io.jbpf.core.map.RawMap m) {
        byte[] v = new byte[m.valueBufferSize()];
        m.lookup(new byte[4], v);
        ByteBuffer b = ByteBuffer.wrap(v).order(ByteOrder.LITTLE_ENDIAN);
        long n = 0;
        for (int c = 0; c < v.length / 16; c++) {
            n += b.getLong(c * 16);
        }
        return n;
    }

    @Test
    void twoProgramsCountIntoOneMap() {
        PacketProgram xdp = PacketProgram.forTarget(Target.XDP).when(always()).then(countPerCpu("hits"), pass()).build();
        PacketProgram tc = PacketProgram.forTarget(Target.TC_INGRESS).when(always()).then(countPerCpu("hits"), pass())
                .build();
        try (KernelPacketProgram first = xdp.load()) {
            try (KernelPacketProgram second = tc.load(first.maps())) {
                assertThat(second.map("hits")).isSameAs(first.map("hits"));
                first.testRun(frame());
                second.testRun(frame());
                second.testRun(frame());
            }
            assertThat(packets(first.map("hits"))).as("the map outlives the program it was lent to").isEqualTo(3);
        }
        MemoryMap shared = MemoryMap.create(xdp.map("hits").orElseThrow());
        VmPacketProgram a = xdp.loadVm(Vm.create(), Map.of("hits", shared));
        VmPacketProgram b = tc.loadVm(Vm.create(), Map.of("hits", shared));
        a.run(frame());
        b.run(frame());
        assertThat(packets(shared)).isEqualTo(2);
    }

    @Test
    void aMapOfTheWrongShapeIsRefused() {
        PacketProgram xdp = PacketProgram.forTarget(Target.XDP).when(always()).then(countPerCpu("hits"), pass()).build();
        try (KernelMap wrong = KernelMap.create(MapSpec.of("hits", MapType.ARRAY, 4, 8, 1))) {
            assertThatThrownBy(() -> xdp.load(Map.of("hits", wrong))).isInstanceOf(DslException.class)
                    .hasMessageContaining("'hits'");
        }
    }
}
