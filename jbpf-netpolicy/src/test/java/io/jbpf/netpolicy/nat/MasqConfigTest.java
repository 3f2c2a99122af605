package io.jbpf.netpolicy.nat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.maps.Cidr;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ip-masq-agent config: its defaults, its file format, bad files, and reloading. */
class MasqConfigTest {
    static final String LAB = String.join("\n",
            "nonMasqueradeCIDRs:",
            "- 192.168.0.0/16",
            "- 172.16.0.0/12",
            "masqLinkLocal: false",
            "resyncInterval: 60s");

    static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void defaultsAreTheIpMasqAgentsListPlusLinkLocal() throws Exception {
        MasqConfig d = MasqConfig.defaults();
        assertThat(d.nonMasqueradeCidrs()).hasSize(11).contains(Cidr.parse("10.0.0.0/8"), Cidr.parse("240.0.0.0/4"));
        assertThat(d.effectiveCidrs()).hasSize(12).contains(MasqConfig.LINK_LOCAL);
        // under the defaults, the lab's outside host (a documentation address) keeps the pod's address
        assertThat(d.exempts(ip("203.0.113.10"))).isTrue();
        assertThat(d.exempts(ip("169.254.1.1"))).isTrue();
        assertThat(d.exempts(ip("8.8.8.8"))).isFalse();
        assertThat(MasqConfig.parse("")).isEqualTo(d);
        assertThat(MasqConfig.parse("masqLinkLocal: true").effectiveCidrs()).doesNotContain(MasqConfig.LINK_LOCAL)
                .hasSize(11);
    }

    @Test
    void theLabsConfigMasqueradesTheOutsideHost() throws Exception {
        MasqConfig lab = MasqConfig.parse(LAB);
        assertThat(lab.nonMasqueradeCidrs()).containsExactly(Cidr.parse("192.168.0.0/16"), Cidr.parse("172.16.0.0/12"));
        assertThat(lab.exempts(ip("203.0.113.10"))).isFalse();
        assertThat(lab.exempts(ip("172.16.2.5"))).isTrue();
        assertThat(lab.exempts(ip("192.168.10.101"))).isTrue();
        // JSON is YAML too, as the agent's ConfigMap may hold either
        assertThat(MasqConfig.parse("{\"nonMasqueradeCIDRs\": [\"10.0.0.0/8\"], \"masqLinkLocal\": true}"))
                .isEqualTo(new MasqConfig(List.of(Cidr.parse("10.0.0.0/8")), true));
        // an empty list masquerades everything but link-local
        assertThat(MasqConfig.parse("nonMasqueradeCIDRs: []").effectiveCidrs()).containsExactly(MasqConfig.LINK_LOCAL);
    }

    @Test
    void badFilesNameTheFieldLineAndColumn() {
        assertThatThrownBy(() -> MasqConfig.parse("nonMasqueradeCIDRs:\n- 10.0.0.0/8\n- 10.0.0.0/33\n"))
                .isInstanceOfSatisfying(InvalidMasqConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("nonMasqueradeCIDRs[1]");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.column()).isEqualTo(3);
                });
        assertThatThrownBy(() -> MasqConfig.parse("nonMasqueradeCIDRs: [2001:db8::/32]"))
                .isInstanceOf(InvalidMasqConfigException.class).hasMessageContaining("not an IPv4 CIDR");
        assertThatThrownBy(() -> MasqConfig.parse("nonMasqueradeCIDRs: [bogus]"))
                .isInstanceOf(InvalidMasqConfigException.class).hasMessageContaining("'bogus' is not a CIDR");
        assertThatThrownBy(() -> MasqConfig.parse("masqLinkLocal: yes please"))
                .isInstanceOf(InvalidMasqConfigException.class).hasMessageContaining("is not true or false");
        assertThatThrownBy(() -> MasqConfig.parse("nonMasqueradeCidrs: [10.0.0.0/8]"))
                .isInstanceOfSatisfying(InvalidMasqConfigException.class, e -> {
                    assertThat(e.field()).isEqualTo("nonMasqueradeCidrs");
                    assertThat(e.getMessage()).contains("unknown field");
                });
        assertThatThrownBy(() -> MasqConfig.parse("nonMasqueradeCIDRs: 10.0.0.0/8"))
                .isInstanceOf(InvalidMasqConfigException.class).hasMessageContaining("expected a list");
    }

    @Test
    void theFileIsReloadedWhenItChangesAndABadVersionKeepsTheLastGoodOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ip-masq-agent");
        MasqConfigFile f = MasqConfigFile.open(file);
        assertThat(f.current()).isEqualTo(MasqConfig.defaults());
        assertThat(f.poll()).isEmpty();

        Files.writeString(file, LAB);
        assertThat(f.poll()).contains(MasqConfig.parse(LAB));
        assertThat(f.poll()).isEmpty();
        // the same meaning written differently is no change
        Files.writeString(file, "# lab\n" + LAB);
        assertThat(f.poll()).isEmpty();

        Files.writeString(file, "nonMasqueradeCIDRs: [300.0.0.0/8]");
        assertThat(f.poll()).isEmpty();
        assertThat(f.current()).isEqualTo(MasqConfig.parse(LAB));
        assertThat(f.lastError()).hasValueSatisfying(e -> assertThat(e.field()).isEqualTo("nonMasqueradeCIDRs[0]"));

        Files.writeString(file, "nonMasqueradeCIDRs: [10.0.0.0/8]");
        assertThat(f.poll()).contains(new MasqConfig(List.of(Cidr.parse("10.0.0.0/8")), false));
        assertThat(f.lastError()).isEmpty();

        Files.delete(file);
        assertThat(f.poll()).contains(MasqConfig.defaults());
    }

    @Test
    void aBadFileAtStartIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ip-masq-agent");
        Files.writeString(file, "masqLinkLocal: maybe");
        assertThatThrownBy(() -> MasqConfigFile.open(file)).isInstanceOf(InvalidMasqConfigException.class)
                .hasMessageContaining("masqLinkLocal");
    }
}
