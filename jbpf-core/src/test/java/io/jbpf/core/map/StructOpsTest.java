package io.jbpf.core.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.features.Features;
import io.jbpf.core.insn.Reg;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

/**
 * STRUCT_OPS: what the kernel offers and what jbpf does with it. The kernel of this project's test
 * machine (6.18) creates STRUCT_OPS maps (given a vmlinux value type and a BTF fd) and loads
 * STRUCT_OPS programs; jbpf has no way to say the value type yet, so it refuses such maps with a
 * message saying so, instead of passing the kernel's bare EINVAL on.
 */
@KernelTest
class StructOpsTest {

    @Test
    void creatingAStructOpsMapSaysWhatJbpfLacks() {
        MapSpec spec = MapSpec.of("jbpf_t_sops", MapType.STRUCT_OPS, 4, 256, 1);
        assertThatThrownBy(() -> KernelMap.create(spec)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("map 'jbpf_t_sops'")
                .hasMessageContaining("cannot create STRUCT_OPS maps")
                .hasMessageContaining("btf_vmlinux_value_type_id");
    }

    @Test
    void theKernelLoadsAStructOpsProgramForAMemberOfTcpCongestionOps() {
        Features.requireProgramType(ProgramType.STRUCT_OPS);
        Btf kernel = Btf.kernel().orElseThrow();
        int ops = kernel.find(BtfKind.STRUCT, "tcp_congestion_ops").orElseThrow().id();
        // expected_attach_type is the member index: 0 (ssthresh, returning u32) when none is set
        ProgramSpec spec = ProgramSpec.builder("jbpf_sops_ss", ProgramType.STRUCT_OPS).license("GPL")
                .attachBtfId(ops)
                .instructions(new Assembler().mov(Reg.R0, 2).exit().build())
                .build();
        try (Program p = Program.load(spec)) {
            assertThat(p.info().type()).isEqualTo(ProgramType.STRUCT_OPS);
        }
    }
}
