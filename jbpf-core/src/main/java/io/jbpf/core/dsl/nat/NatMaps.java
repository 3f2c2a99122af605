package io.jbpf.core.dsl.nat;

import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import java.util.List;
import java.util.Map;

/**
 * The maps of the source NAT, as specs:
 * <ul>
 * <li>{@code nat_cfg} (array of one): the {@link NatConfig};
 * <li>{@code nat_fwd} (LRU hash): the original {@link FlowKey} of an outgoing flow → the
 *     {@link Endpoint} it leaves as (external address, allocated port);
 * <li>{@code nat_rev} (LRU hash): the {@link FlowKey} a reply arrives with (remote → external:port)
 *     → the original private {@link Endpoint}. An entry here is what holds an allocated port: the
 *     program claims a port by inserting with {@code BPF_NOEXIST}.
 * </ul>
 *
 * @param maxFlows capacity of the two translation maps
 */
public record NatMaps(int maxFlows) {
    public static final String CONFIG = "nat_cfg";
    public static final String FORWARD = "nat_fwd";
    public static final String REVERSE = "nat_rev";

    public NatMaps {
        if (maxFlows < 1) {
            throw new IllegalArgumentException("NAT flow capacity " + maxFlows + " must be positive");
        }
    }

    /** The three specs. */
    public List<MapSpec> specs() {
        return List.of(MapSpec.of(CONFIG, MapType.ARRAY, 4, NatConfig.SIZE, 1),
                MapSpec.of(FORWARD, MapType.LRU_HASH, FlowKey.SIZE, Endpoint.SIZE, maxFlows),
                MapSpec.of(REVERSE, MapType.LRU_HASH, FlowKey.SIZE, Endpoint.SIZE, maxFlows));
    }

    /** Writes {@code config} into the {@code nat_cfg} map of {@code maps}. */
    public static void configure(Map<String, ? extends RawMap> maps, NatConfig config) {
        RawMap m = maps.get(CONFIG);
        if (m == null) {
            throw new IllegalArgumentException("no map '" + CONFIG + "'");
        }
        m.update(new byte[4], config.toBytes(), MapFlags.ANY);
    }
}
