package io.jbpf.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** LPM tries keyed by IPv4 and IPv6 prefixes. */
@KernelTest
class LpmTrieTest {

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void ipv4LongestPrefixMatch() throws Exception {
        try (BpfLpmTrie<Integer> t = BpfLpmTrie.createIpv4("jbpf_t_lpm4", 16, Codecs.u32())) {
            t.put(Cidr.parse("10.0.0.0/8"), 8);
            t.put(Cidr.parse("10.1.0.0/16"), 16);
            t.put(Cidr.parse("10.1.2.0/24"), 24);
            t.put(Cidr.parse("0.0.0.0/0"), 0);
            assertThat(t.get(ip("10.1.2.3"))).isEqualTo(24);
            assertThat(t.get(ip("10.1.3.3"))).isEqualTo(16);
            assertThat(t.get(ip("10.200.0.1"))).isEqualTo(8);
            assertThat(t.get(ip("192.168.0.1"))).isEqualTo(0);
            assertThat(t.remove(Cidr.parse("0.0.0.0/0"))).isTrue();
            assertThat(t.get(ip("192.168.0.1"))).isNull();
            assertThat(t.get(Cidr.parse("10.1.0.0/20"))).as("a prefix matches the longest containing one").isEqualTo(16);
            Set<Cidr> keys = new HashSet<>();
            t.keys().forEach(keys::add);
            assertThat(keys).containsExactlyInAnyOrder(Cidr.parse("10.0.0.0/8"), Cidr.parse("10.1.0.0/16"),
                    Cidr.parse("10.1.2.0/24"));
            assertThat(t.putIfAbsent(Cidr.parse("10.0.0.0/8"), 99)).isFalse();
            assertThatThrownBy(() -> t.get(ip("2001:db8::1"))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("IPv4 trie");
        }
    }

    @Test
    void ipv6AndHostBitsAreCleared() throws Exception {
        try (BpfLpmTrie<Long> t = BpfLpmTrie.createIpv6("jbpf_t_lpm6", 16, Codecs.u64())) {
            assertThat(t.isIpv6()).isTrue();
            t.put(Cidr.parse("2001:db8::/32"), 32L);
            t.put(Cidr.parse("2001:db8:1:2::ffff/64"), 64L);
            assertThat(t.get(ip("2001:db8:1:2::5"))).isEqualTo(64L);
            assertThat(t.get(ip("2001:db8:9::5"))).isEqualTo(32L);
            assertThat(t.get(ip("2001:db9::"))).isNull();
            assertThat(t.getAll()).containsOnlyKeys(Cidr.parse("2001:db8::/32"), Cidr.parse("2001:db8:1:2::/64"));
        }
    }

    @Test
    void prefixesLongerThanTheAddressAreRefused() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).isInstanceOf(InvalidPrefixException.class)
                .hasMessageContaining("/33").hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.parse("::/129")).isInstanceOf(InvalidPrefixException.class)
                .hasMessageContaining("0 to 128");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/-1")).isInstanceOf(InvalidPrefixException.class);
        assertThatThrownBy(() -> Cidr.parse("example.com/8")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Cidr.parse("10.1.2.3/8")).isEqualTo(Cidr.parse("10.0.0.0/8"));
        assertThat(Cidr.parse("10.0.0.0/8").contains(InetAddressOf.v4("10.9.9.9"))).isTrue();
    }

    @Test
    void bulkOperationsOnTries() {
        try (BpfLpmTrie<Integer> t = BpfLpmTrie.createIpv4("jbpf_t_lpmb", 1024, Codecs.u32())) {
            Map<Cidr, Integer> want = new java.util.HashMap<>();
            for (int i = 0; i < 500; i++) {
                want.put(Cidr.parse("10." + (i / 256) + "." + (i % 256) + ".0/24"), i);
            }
            t.putAll(want);
            assertThat(t.getAll()).isEqualTo(want);
            t.batchMode(BatchMode.SINGLE);
            assertThat(t.getAll()).isEqualTo(want);
            t.batchMode(BatchMode.AUTO);
            t.removeAll(want.keySet());
            assertThat(t.isEmpty()).isTrue();
        }
    }

    @Test
    void openingAHashAsATrieIsRefused() {
        try (BpfHashMap<Long, Long> h = BpfHashMap.create(MapSpec.of("jbpf_t_nottrie", MapType.HASH, 8, 8, 4),
                Codecs.u64(), Codecs.u64())) {
            assertThatThrownBy(() -> BpfLpmTrie.of(h.raw(), Codecs.u64())).isInstanceOf(MapMismatchException.class)
                    .hasMessageContaining("HASH");
        }
    }

    static final class InetAddressOf {
        static InetAddress v4(String s) {
            try {
                return InetAddress.getByName(s);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
