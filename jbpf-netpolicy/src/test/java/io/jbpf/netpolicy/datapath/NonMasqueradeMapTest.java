package io.jbpf.netpolicy.datapath;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.Cidr;
import io.jbpf.netpolicy.nat.MasqConfig;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The non-masquerade LPM map in the kernel, synced from ip-masq-agent configs. */
@KernelTest
class NonMasqueradeMapTest {
    static Inet4Address ip(String s) throws Exception {
        return (Inet4Address) InetAddress.getByName(s);
    }

    @Test
    void holdsExactlyTheEffectiveCidrsAndTheKernelMatchesTheLongestPrefix() throws Exception {
        try (KernelMap map = KernelMap.create(NonMasqueradeMap.spec("jbpf_ipmasq_t"))) {
            int[] first = NonMasqueradeMap.sync(map, MasqConfig.defaults());
            assertThat(first).containsExactly(12, 0);
            assertThat(NonMasqueradeMap.all(map)).containsExactlyInAnyOrderElementsOf(MasqConfig.defaults().effectiveCidrs());
            assertThat(NonMasqueradeMap.exempts(map, ip("203.0.113.10"))).isTrue();
            assertThat(NonMasqueradeMap.exempts(map, ip("172.31.255.255"))).isTrue();
            assertThat(NonMasqueradeMap.exempts(map, ip("172.32.0.1"))).isFalse();
            assertThat(NonMasqueradeMap.exempts(map, ip("8.8.8.8"))).isFalse();

            // the lab's config: only its own ranges (and link-local) stay
            MasqConfig lab = new MasqConfig(List.of(Cidr.parse("192.168.0.0/16"), Cidr.parse("172.16.0.0/12")), false);
            int[] second = NonMasqueradeMap.sync(map, lab);
            assertThat(second).containsExactly(0, 9);
            assertThat(NonMasqueradeMap.all(map)).containsExactlyInAnyOrderElementsOf(lab.effectiveCidrs());
            assertThat(NonMasqueradeMap.exempts(map, ip("203.0.113.10"))).isFalse();
            assertThat(NonMasqueradeMap.exempts(map, ip("172.16.1.7"))).isTrue();
            assertThat(NonMasqueradeMap.exempts(map, ip("169.254.0.9"))).isTrue();

            // a sync to the same config changes nothing
            assertThat(NonMasqueradeMap.sync(map, lab)).containsExactly(0, 0);
            MasqConfig masqLinkLocal = new MasqConfig(lab.nonMasqueradeCidrs(), true);
            assertThat(NonMasqueradeMap.sync(map, masqLinkLocal)).containsExactly(0, 1);
            assertThat(NonMasqueradeMap.exempts(map, ip("169.254.0.9"))).isFalse();
        }
    }
}
