package io.jbpf.core.internal.btf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Our enums must carry the kernel's numbers: checked against the running kernel's BTF. */
class BtfEnumsTest {

    private static BtfEnums kernel() {
        var k = BtfEnums.kernel();
        if (k.isEmpty() && !"1".equals(System.getenv("JBPF_REQUIRE_KERNEL"))) {
            Assumptions.abort("this kernel has no /sys/kernel/btf/vmlinux");
        }
        assertThat(k).as("kernel BTF").isPresent();
        return k.get();
    }

    @Test
    void programTypeNumbersMatchTheKernel() {
        Map<String, Long> kernel = kernel().values("bpf_prog_type");
        assertThat(kernel).containsEntry("BPF_PROG_TYPE_XDP", 6L);
        for (ProgramType t : ProgramType.values()) {
            assertThat(kernel).as("kernel knows %s", t).containsEntry("BPF_PROG_TYPE_" + t.name(), (long) t.number());
        }
    }

    @Test
    void mapTypeNumbersMatchTheKernel() {
        Map<String, Long> kernel = kernel().values("bpf_map_type");
        for (MapType t : MapType.values()) {
            assertThat(kernel).as("kernel knows %s", t).containsEntry("BPF_MAP_TYPE_" + t.name(), (long) t.number());
        }
    }

    @Test
    void attachTypeNumbersMatchTheKernel() {
        Map<String, Long> kernel = kernel().values("bpf_attach_type");
        for (AttachType t : AttachType.values()) {
            assertThat(kernel).as("kernel knows %s", t).containsEntry("BPF_" + t.name(), (long) t.number());
        }
    }

    @Test
    void theProbeBtfParses() {
        assertThat(BtfEnums.parse(ProbeBtf.intOnly()).values("anything")).isEmpty();
    }

    @Test
    void malformedBtfIsRefusedWithAReason() {
        assertThatThrownBy(() -> BtfEnums.parse(new byte[10])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("shorter than its header");
        assertThatThrownBy(() -> BtfEnums.parse(new byte[24])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad magic");
        byte[] raw = ProbeBtf.intOnly();
        raw[12] = 100; // type_len past the end
        assertThatThrownBy(() -> BtfEnums.parse(raw)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("past the end");
    }
}
