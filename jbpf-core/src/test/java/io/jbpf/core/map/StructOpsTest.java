package io.jbpf.core.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.btf.Btf;
import io.jbpf.core.features.Features;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.link.StructOpsLink;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * STRUCT_OPS maps built from the kernel's BTF with {@link StructOpsValue}: a TCP congestion control
 * made of three assembled programs, registered through a link, listed by the kernel while the link
 * is open and gone once it is closed. (jbpf-loader's StructOpsObjectTest does the same from C and
 * runs TCP over it.)
 */
@KernelTest
class StructOpsTest {
    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");

    @Test
    void aStructOpsMapWithoutItsKernelValueTypeIsRefusedWithTheReason() {
        MapSpec spec = MapSpec.of("jbpf_t_sops", MapType.STRUCT_OPS, 4, 256, 1);
        assertThatThrownBy(() -> KernelMap.create(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("map 'jbpf_t_sops'")
                .hasMessageContaining("MapSpec.withKernelValueType");
        assertThatThrownBy(() -> MapSpec.of("jbpf_t_arr", MapType.ARRAY, 4, 4, 1).withKernelValueType(7))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only STRUCT_OPS");
    }

    @Test
    void anAssembledCongestionControlRegistersThroughALinkAndLeavesWhenClosed() throws Exception {
        Features.requireProgramType(ProgramType.STRUCT_OPS);
        StructOpsValue v = StructOpsValue.of(Btf.kernel().orElseThrow(), "tcp_congestion_ops");
        assertThat(v.isFunction("ssthresh")).isTrue();
        assertThat(v.isFunction("name")).isFalse();
        String name = "jbpf" + ProcessHandle.current().pid();
        try (Program ssthresh = load(v, "ssthresh", 2);
                Program undo = load(v, "undo_cwnd", 10);
                Program avoid = load(v, "cong_avoid", 0)) {
            v.program("ssthresh", ssthresh).program("undo_cwnd", undo).program("cong_avoid", avoid)
                    .data("name", name.getBytes(StandardCharsets.US_ASCII));
            try (KernelMap map = KernelMap.create(v.mapSpec("jbpf_t_ca", true))) {
                assertThat(map.info().spec().kernelValueTypeId()).isEqualTo(v.valueTypeId());
                map.update(new byte[4], v.value(), MapFlags.ANY);
                try (StructOpsLink link = StructOpsLink.attach(map)) {
                    assertThat(Files.readString(AVAILABLE).trim().split(" ")).contains(name);
                    assertThat(link.info().type()).isEqualTo(io.jbpf.core.link.LinkType.STRUCT_OPS);
                }
                assertThat(Files.readString(AVAILABLE).trim().split(" ")).doesNotContain(name);
            }
        }
    }

    @Test
    void membersAreCheckedByNameKindAndSize() {
        StructOpsValue v = StructOpsValue.of(Btf.kernel().orElseThrow(), "tcp_congestion_ops");
        assertThatThrownBy(() -> v.memberIndex("nope")).hasMessageContaining("no member 'nope'")
                .hasMessageContaining("cong_avoid");
        assertThatThrownBy(() -> v.data("ssthresh", new byte[8])).hasMessageContaining("function pointer");
        assertThatThrownBy(() -> v.data("name", new byte[17])).hasMessageContaining("is 16 bytes, not 17");
        assertThatThrownBy(() -> StructOpsValue.of(Btf.kernel().orElseThrow(), "task_struct"))
                .hasMessageContaining("does not offer struct task_struct as struct_ops");
    }

    private static Program load(StructOpsValue v, String member, int r0) {
        return Program.load(ProgramSpec.builder("jbpf_" + member.substring(0, 4), ProgramType.STRUCT_OPS)
                .structOpsMember(v.structTypeId(), v.memberIndex(member))
                .instructions(new Assembler().mov(Reg.R0, r0).exit().build())
                .build());
    }
}
