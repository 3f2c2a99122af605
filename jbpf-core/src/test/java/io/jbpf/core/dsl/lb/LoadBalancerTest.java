package io.jbpf.core.dsl.lb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.Protocol;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.map.RawMap;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The control plane writes what the programs read: services, backends, selection and Maglev arrays. */
class LoadBalancerTest {
    private static final LbMaps SIZES = new LbMaps(2, 4, 13, 16);
    private static final ServiceKey WEB = new ServiceKey(Endpoint.of("10.0.0.100", 80), Protocol.TCP);
    private static final List<Endpoint> BACKENDS = List.of(Endpoint.of("10.0.1.1", 8080), Endpoint.of("10.0.1.2", 8080),
            Endpoint.of("10.0.1.3", 8080));

    private static Map<String, RawMap> maps() {
        Map<String, RawMap> m = new HashMap<>();
        for (MapSpec s : SIZES.specs()) {
            m.put(s.name(), MemoryMap.create(s));
        }
        return m;
    }

    private static byte[] u32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array();
    }

    private static int readU32(RawMap map, int key) {
        byte[] v = new byte[4];
        assertThat(map.lookup(u32(key), v)).isTrue();
        return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
    }

    @Test
    void writesServiceBackendsAndMaglevTable() {
        Map<String, RawMap> m = maps();
        LoadBalancer lb = new LoadBalancer(SIZES, m);
        lb.setService(WEB, Algorithm.MAGLEV, BACKENDS);
        byte[] svc = new byte[Service.SIZE];
        assertThat(m.get(LbMaps.SERVICES).lookup(WEB.toBytes(), svc)).isTrue();
        Service s = Service.decode(svc);
        assertThat(s.backendCount()).isEqualTo(3);
        assertThat(s.algorithm()).isEqualTo(Algorithm.MAGLEV);
        Maglev expected = Maglev.build(BACKENDS.stream().map(e -> Maglev.Backend.of(e.toString())).toList(), 13);
        for (int slot = 0; slot < 13; slot++) {
            int id = readU32(m.get(LbMaps.MAGLEV), s.id() * 13 + slot);
            byte[] ep = new byte[Endpoint.SIZE];
            assertThat(m.get(LbMaps.BACKENDS).lookup(u32(id), ep)).isTrue();
            assertThat(Endpoint.decode(ep, 0)).isEqualTo(BACKENDS.get(expected.slot(slot)));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(readU32(m.get(LbMaps.SELECTION), s.id() * 4 + i)).isEqualTo(lb.backendId(WEB, BACKENDS.get(i)));
        }
    }

    @Test
    void removedBackendsLeaveTheBackendMapAndKeptOnesKeepTheirIds() {
        Map<String, RawMap> m = maps();
        LoadBalancer lb = new LoadBalancer(SIZES, m);
        lb.setService(WEB, Algorithm.HASH, BACKENDS);
        int kept = lb.backendId(WEB, BACKENDS.get(2));
        int gone = lb.backendId(WEB, BACKENDS.get(0));
        lb.setService(WEB, Algorithm.HASH, BACKENDS.subList(1, 3));
        assertThat(lb.backendId(WEB, BACKENDS.get(2))).isEqualTo(kept);
        assertThat(m.get(LbMaps.BACKENDS).lookup(u32(gone), new byte[8])).isFalse();
        lb.removeService(WEB);
        assertThat(m.get(LbMaps.SERVICES).lookup(WEB.toBytes(), new byte[16])).isFalse();
        assertThat(m.get(LbMaps.BACKENDS).lookup(u32(kept), new byte[8])).isFalse();
    }

    @Test
    void maglevWeightsShapeTheTable() {
        Map<String, RawMap> m = maps();
        LbMaps big = new LbMaps(1, 4, 1021, 16);
        Map<String, RawMap> bigMaps = new HashMap<>();
        for (MapSpec s : big.specs()) {
            bigMaps.put(s.name(), MemoryMap.create(s));
        }
        LoadBalancer lb = new LoadBalancer(big, bigMaps);
        lb.setService(WEB, Algorithm.MAGLEV, BACKENDS.subList(0, 2), List.of(1, 3));
        int light = lb.backendId(WEB, BACKENDS.get(0));
        int slotsOfLight = 0;
        for (int slot = 0; slot < 1021; slot++) {
            if (readU32(bigMaps.get(LbMaps.MAGLEV), slot) == light) {
                slotsOfLight++;
            }
        }
        assertThat(slotsOfLight).as("slots of the backend of weight 1 of 4").isBetween(245, 265);
        assertThatThrownBy(() -> new LoadBalancer(SIZES, m).setService(WEB, Algorithm.HASH, BACKENDS.subList(0, 2),
                List.of(1, 3))).hasMessageContaining("only MAGLEV honours backend weights");
    }

    @Test
    void badInputIsNamed() {
        LoadBalancer lb = new LoadBalancer(SIZES, maps());
        assertThatThrownBy(() -> lb.setService(WEB, Algorithm.RANDOM, List.of(BACKENDS.get(0), BACKENDS.get(0))))
                .hasMessageContaining("appears twice");
        assertThatThrownBy(() -> lb.setService(WEB, Algorithm.RANDOM, List.of(BACKENDS.get(0), BACKENDS.get(1),
                BACKENDS.get(2), Endpoint.of("10.0.1.4", 1), Endpoint.of("10.0.1.5", 1)))).hasMessageContaining("more than the 4");
        lb.setService(WEB, Algorithm.RANDOM, BACKENDS);
        lb.setService(new ServiceKey(Endpoint.of("10.0.0.101", 53), Protocol.UDP), Algorithm.RANDOM, BACKENDS);
        assertThatThrownBy(() -> lb.setService(new ServiceKey(Endpoint.of("10.0.0.102", 53), Protocol.UDP), Algorithm.RANDOM,
                BACKENDS)).hasMessageContaining("no room");
        Map<String, RawMap> missing = maps();
        missing.remove(LbMaps.MAGLEV);
        assertThatThrownBy(() -> new LoadBalancer(SIZES, missing)).hasMessageContaining("'lb_maglev'");
        assertThatThrownBy(() -> new ServiceKey(Endpoint.of("1.2.3.4", 1), Protocol.ICMP)).hasMessageContaining("ICMP");
        assertThatThrownBy(() -> new LbMaps(1, 13, 13, 1)).hasMessageContaining("prime greater than");
    }
}
