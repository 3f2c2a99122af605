package io.jbpf.netpolicy.datapath;

import io.jbpf.core.dsl.KernelPacketProgram;
import io.jbpf.core.dsl.nat.Endpoint;
import io.jbpf.core.dsl.nat.FlowKey;
import io.jbpf.core.dsl.nat.NatConfig;
import io.jbpf.core.dsl.nat.NatMaps;
import io.jbpf.core.link.TcDirection;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.netpolicy.lab.Ipv4Cidr;
import io.jbpf.netpolicy.nat.MasqConfig;
import io.jbpf.netpolicy.service.LoadBalancing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's BPF masquerade and node ports in the kernel ({@link MasqueradePrograms}): the NAT maps and the
 * non-masquerade trie pinned in the node's datapath directory next to {@link NodeDatapath}'s, and
 * the two programs on the underlay device, their links pinned too, so translations survive the
 * agent. {@link #close()} releases this process's fds only; {@link NodeDatapath#remove} removes it
 * all with the rest of the node's datapath.
 */
public final class NodeMasquerade implements AutoCloseable {
    /** The ports masqueraded flows get (Cilium's default SNAT range starts at 32768 too). */
    public static final int PORT_MIN = 32768, PORT_MAX = 60999;

    private final Path dir;
    private final Map<String, KernelMap> maps;
    private final KernelPacketProgram toNetdev;
    private final KernelPacketProgram fromNetdev;

    private NodeMasquerade(Path dir, Map<String, KernelMap> maps, KernelPacketProgram toNetdev, KernelPacketProgram fromNetdev) {
        this.dir = dir;
        this.maps = maps;
        this.toNetdev = toNetdev;
        this.fromNetdev = fromNetdev;
    }

    /**
     * Opens (or creates and pins) the masquerade maps in {@code dir} and loads the programs over them
     * and {@code datapath}'s service and endpoint maps, with its load balancing and host routing,
     * for the node whose pods are {@code podCidr}.
     */
    public static NodeMasquerade open(Path dir, Ipv4Cidr podCidr, NodeDatapath datapath) {
        LoadBalancing lb = datapath.loadBalancing();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            Map<String, KernelMap> maps = new HashMap<>();
            List<MapSpec> specs = new ArrayList<>(MasqueradePrograms.natMaps().specs());
            specs.add(NonMasqueradeMap.spec(MasqueradePrograms.NON_MASQUERADE));
            for (MapSpec spec : specs) {
                maps.put(spec.name(), NodeDatapath.openOrCreate(dir, spec, opened));
            }
            Map<String, KernelMap> all = new HashMap<>(datapath.serviceMaps());
            all.put(DatapathPrograms.ENDPOINTS, datapath.endpoints());
            all.putAll(maps);
            KernelPacketProgram to = MasqueradePrograms.toNetdev(podCidr, lb).load(all);
            opened.add(to);
            KernelPacketProgram from = MasqueradePrograms.fromNetdev(podCidr, lb, datapath.routing()).load(all);
            return new NodeMasquerade(dir, Map.copyOf(maps), to, from);
        } catch (IOException e) {
            NodeDatapath.closeAll(opened);
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            NodeDatapath.closeAll(opened);
            throw e;
        }
    }

    /**
     * Sets what is translated: pod traffic leaves with {@code nodeAddress}, except to {@code masq}'s
     * exempt destinations (as does node port traffic to backends on other nodes). The exemptions
     * change adds first, removes second.
     *
     * @return the non-masquerade entries added and removed, as {@code {added, removed}}
     */
    public int[] configure(String nodeAddress, MasqConfig masq) {
        // the programs decide which packets are translated: the NAT block takes any source
        NatConfig cfg = NatConfig.of(nodeAddress, "0.0.0.0/0", PORT_MIN, PORT_MAX);
        int[] changed = NonMasqueradeMap.sync(nonMasquerade(), masq);
        NatMaps.configure(maps, cfg);
        return changed;
    }

    /** Attaches the programs to the underlay device {@code ifname} in {@code ns} (egress and ingress). */
    public void attach(NetNamespace ns, String ifname) {
        TcLinkPins.attach(dir, ns, ifname, TcDirection.EGRESS, toNetdev.program());
        TcLinkPins.attach(dir, ns, ifname, TcDirection.INGRESS, fromNetdev.program());
    }

    /** Whether {@code ifname} has the masquerade's pinned links. */
    public boolean isAttached(String ifname) {
        return TcLinkPins.attached(dir, ifname);
    }

    /** The non-masquerade trie. */
    public KernelMap nonMasquerade() {
        return maps.get(MasqueradePrograms.NON_MASQUERADE);
    }

    /** The translations, by the translated flow (the reply's 5-tuple) to the original endpoint. */
    public KernelMap reverse() {
        return maps.get(NatMaps.REVERSE);
    }

    /** The translations by original flow to the translated endpoint. */
    public KernelMap forward() {
        return maps.get(NatMaps.FORWARD);
    }

    /**
     * One translation as {@code cilium bpf nat list} shows it: an outgoing flow and the source it
     * leaves with ({@code OUT}), or a reply's flow and the destination it is given back ({@code IN}).
     *
     * @param outgoing whether the flow is the original, outgoing one
     * @param flow     the flow as it arrives at the translation
     * @param to       the source (outgoing) or destination (reply) it is translated to
     */
    public record Translation(boolean outgoing, FlowKey flow, Endpoint to) {
        @Override
        public String toString() {
            return flow.protocol() + (outgoing ? " OUT " : " IN ") + flow.source() + " -> " + flow.destination()
                    + (outgoing ? " XLATE_SRC " : " XLATE_DST ") + to;
        }
    }

    /** Every translation, outgoing ones first. */
    public List<Translation> translations() {
        List<Translation> out = new ArrayList<>();
        read(forward(), true, out);
        read(reverse(), false, out);
        return out;
    }

    private static void read(KernelMap map, boolean outgoing, List<Translation> into) {
        map.forEachEntry((k, v) -> into.add(new Translation(outgoing, FlowKey.decode(k, 0), Endpoint.decode(v, 0))));
    }

    /** Releases this process's fds; the pins stay and keep translating. */
    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>(maps.values());
        all.add(toNetdev);
        all.add(fromNetdev);
        NodeDatapath.closeAll(all);
    }
}
