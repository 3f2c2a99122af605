package io.jbpf.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

@KernelTest
class MapCommandTest {

    @Test
    void showsListsAndDumpsAMap() throws Exception {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_cli_map", MapType.HASH, 4, 2, 8))) {
            m.update(new byte[] {1, 0, 0, 0}, new byte[] {(byte) 0xab, 0x01}, MapFlags.ANY);
            m.update(new byte[] {2, 0, 0, 0}, new byte[] {0x02, 0x00}, MapFlags.ANY);
            CliRun show = CliRun.of("map", "show", String.valueOf(m.id()));
            assertThat(show.exitCode()).as(show.err()).isZero();
            assertThat(show.out()).startsWith(m.id() + ": hash  name jbpf_cli_map  flags 0x0")
                    .contains("key 4B  value 2B  max_entries 8");

            CliRun dump = CliRun.of("map", "dump", String.valueOf(m.id()));
            assertThat(dump.out()).contains("key: 01 00 00 00  value: ab 01").contains("key: 02 00 00 00  value: 02 00")
                    .endsWith("Found 2 elements\n");

            JsonNode entries = new ObjectMapper().readTree(CliRun.of("map", "dump", String.valueOf(m.id()), "-j").out());
            assertThat(entries).hasSize(2);
            JsonNode all = new ObjectMapper().readTree(CliRun.of("map", "list", "--json").out());
            assertThat(all.findValues("name").stream().map(JsonNode::asText)).contains("jbpf_cli_map");
        }
    }

    @Test
    void keylessMapsCannotBeDumped() {
        try (KernelMap q = KernelMap.create(MapSpec.of("jbpf_cli_q", MapType.QUEUE, 0, 4, 4))) {
            CliRun r = CliRun.of("map", "dump", String.valueOf(q.id()));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.err()).contains("has no keys to walk");
        }
    }
}
