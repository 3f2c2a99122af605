package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.map.RawMap;
import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.internal.Binding;
import io.jbpf.maps.internal.CidrCodec;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A {@code BPF_MAP_TYPE_LPM_TRIE} keyed by IPv4 or IPv6 prefixes. {@link #get(InetAddress)} is the
 * longest-prefix match of an address; {@link #get(Cidr)} matches the longest stored prefix that
 * contains the given one. The kernel needs {@link MapFlags#NO_PREALLOC} (the {@code create(name, …)}
 * factories set it) and has no batch commands for tries: bulk operations fall back to single calls,
 * and {@link #getAndRemove} is refused by the kernel.
 *
 * @param <V> value type
 */
public final class BpfLpmTrie<V> extends AbstractHashMap<Cidr, V> {
    private final boolean ipv6;

    private BpfLpmTrie(RawMap raw, boolean owner, boolean ipv6, Codec<V> values) {
        super(raw, owner, new CidrCodec(ipv6), values);
        this.ipv6 = ipv6;
    }

    private static boolean ipv6(MapSpec spec) {
        if (spec.keySize() != 8 && spec.keySize() != 20) {
            throw new MapMismatchException("map '" + spec.name() + "' has " + spec.keySize()
                    + "-byte keys, but an LPM trie key is 8 bytes (IPv4) or 20 bytes (IPv6)");
        }
        return spec.keySize() == 20;
    }

    /** Creates the trie {@code spec} describes (key size 8 for IPv4, 20 for IPv6). */
    public static <V> BpfLpmTrie<V> create(MapSpec spec, Codec<V> values) {
        boolean six = ipv6(spec);
        KernelMap map = Binding.create(spec, "BpfLpmTrie", -1, values.size(), MapType.LPM_TRIE);
        return Binding.adopt(map, m -> new BpfLpmTrie<>(m, true, six, values));
    }

    /** Creates an IPv4 trie of up to {@code maxEntries} prefixes. */
    public static <V> BpfLpmTrie<V> createIpv4(String name, int maxEntries, Codec<V> values) {
        return create(MapSpec.of(name, MapType.LPM_TRIE, 8, values.size(), maxEntries).withFlags(MapFlags.NO_PREALLOC),
                values);
    }

    /** Creates an IPv6 trie of up to {@code maxEntries} prefixes. */
    public static <V> BpfLpmTrie<V> createIpv6(String name, int maxEntries, Codec<V> values) {
        return create(MapSpec.of(name, MapType.LPM_TRIE, 20, values.size(), maxEntries).withFlags(MapFlags.NO_PREALLOC),
                values);
    }

    /** A view of {@code raw}, which stays open when the view is closed. */
    public static <V> BpfLpmTrie<V> of(RawMap raw, Codec<V> values) {
        boolean six = ipv6(raw.spec());
        Binding.check(raw.spec(), "BpfLpmTrie", -1, values.size(), MapType.LPM_TRIE);
        return new BpfLpmTrie<>(raw, false, six, values);
    }

    /** Opens the trie pinned at {@code path}; closed with this view. */
    public static <V> BpfLpmTrie<V> openPinned(String path, Codec<V> values) {
        return Binding.adopt(KernelMap.openPinned(path), m -> {
            boolean six = ipv6(m.spec());
            Binding.check(m.spec(), "BpfLpmTrie", -1, values.size(), MapType.LPM_TRIE);
            return new BpfLpmTrie<>(m, true, six, values);
        });
    }

    /** Whether the trie holds IPv6 prefixes. */
    public boolean isIpv6() {
        return ipv6;
    }

    /**
     * The value of the longest stored prefix containing {@code address}, or {@code null}.
     *
     * @throws IllegalArgumentException for an address of the other family
     */
    public V get(InetAddress address) {
        return get(Cidr.host(Objects.requireNonNull(address, "address")));
    }
}
