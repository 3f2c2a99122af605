package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

@KernelTest
class FeatureCommandTest {

    @Test
    void probePrintsWhatTheKernelHas() throws Exception {
        CliRun text = CliRun.of("feature", "probe");
        assertThat(text.exitCode()).as(text.err()).isZero();
        assertThat(text.out()).contains("eBPF program_type xdp is available")
                .contains("eBPF map_type ringbuf is available")
                .contains("eBPF helpers supported for program type xdp:")
                .contains("\t- bpf_xdp_adjust_head");

        CliRun json = CliRun.of("feature", "probe", "--json");
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.at("/program_types/have_xdp_prog_type").asBoolean()).isTrue();
        assertThat(root.at("/program_types/have_lirc_mode2_prog_type").isBoolean()).isTrue();
        assertThat(root.at("/map_types/have_hash_map_type").asBoolean()).isTrue();
        JsonNode xdpHelpers = root.at("/helpers/xdp_available_helpers");
        assertThat(xdpHelpers.isArray()).isTrue();
        assertThat(xdpHelpers.toString()).contains("bpf_map_lookup_elem").doesNotContain("bpf_override_return");
    }

    @Test
    void versionNamesTheBackend() {
        CliRun r = CliRun.of("version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).startsWith("jbpf ").containsAnyOf("backend ffm", "backend jna").contains("Linux ");
    }
}
