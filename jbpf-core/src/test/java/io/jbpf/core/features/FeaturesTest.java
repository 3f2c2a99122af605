package io.jbpf.core.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import org.junit.jupiter.api.Test;

@KernelTest
class FeaturesTest {

    @Test
    void programTypesThisKernelHas() {
        for (ProgramType t : new ProgramType[] {ProgramType.SOCKET_FILTER, ProgramType.KPROBE, ProgramType.SCHED_CLS,
                ProgramType.XDP, ProgramType.CGROUP_SKB, ProgramType.CGROUP_SOCK_ADDR, ProgramType.CGROUP_SOCKOPT,
                ProgramType.SK_LOOKUP, ProgramType.SYSCALL, ProgramType.STRUCT_OPS}) {
            assertThat(Features.programType(t)).as("%s", t).isEqualTo(Support.SUPPORTED);
        }
        assertThat(Features.programType(ProgramType.UNSPEC)).isEqualTo(Support.UNSUPPORTED);
    }

    @Test
    void mapTypesThisKernelHas() {
        for (MapType t : new MapType[] {MapType.HASH, MapType.ARRAY, MapType.PERCPU_HASH, MapType.LRU_HASH,
                MapType.LPM_TRIE, MapType.ARRAY_OF_MAPS, MapType.HASH_OF_MAPS, MapType.QUEUE, MapType.STACK,
                MapType.RINGBUF, MapType.USER_RINGBUF, MapType.BLOOM_FILTER, MapType.SK_STORAGE,
                MapType.TASK_STORAGE, MapType.CGRP_STORAGE, MapType.STACK_TRACE, MapType.DEVMAP, MapType.CPUMAP}) {
            assertThat(Features.mapType(t)).as("%s", t).isEqualTo(Support.SUPPORTED);
        }
        assertThat(Features.mapType(MapType.UNSPEC)).isEqualTo(Support.UNSUPPORTED);
    }

    @Test
    void helpersDependOnTheProgramType() {
        assertThat(Features.helper(ProgramType.XDP, 1 /* map_lookup_elem */)).isEqualTo(Support.SUPPORTED);
        assertThat(Features.helper(ProgramType.XDP, 44 /* xdp_adjust_head */)).isEqualTo(Support.SUPPORTED);
        assertThat(Features.helper(ProgramType.XDP, 58 /* override_return: kprobes only */)).isEqualTo(Support.UNSUPPORTED);
        assertThat(Features.helper(ProgramType.XDP, 100_000)).isEqualTo(Support.UNSUPPORTED);
        assertThat(Features.helper(ProgramType.KPROBE, 14 /* get_current_pid_tgid */)).isEqualTo(Support.SUPPORTED);
    }

    @Test
    void attachTypes() {
        assertThat(Features.attachType(AttachType.CGROUP_INET_INGRESS)).isEqualTo(Support.SUPPORTED);
        assertThat(Features.attachType(AttachType.TCX_INGRESS)).isEqualTo(Support.SUPPORTED);
        assertThat(Features.attachType(AttachType.XDP).available()).isTrue();
        assertThat(Features.attachType(AttachType.TRACE_KPROBE_MULTI).available()).isTrue();
    }

    /** Our probes agree with bpftool's on every program and map type that both know. */
    @Test
    void probesAgreeWithBpftool() throws Exception {
        java.util.List<String> out;
        try {
            Process p = new ProcessBuilder("bpftool", "feature", "probe", "kernel", "-j")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (var in = p.getInputStream()) {
                out = java.util.List.of(new String(in.readAllBytes()));
            }
            p.waitFor();
        } catch (java.io.IOException e) {
            if (io.jbpf.core.testing.KernelExtension.kernelRequired()) {
                throw new AssertionError("bpftool is needed to cross-check feature probes", e);
            }
            org.junit.jupiter.api.Assumptions.abort("bpftool not installed");
            return;
        }
        String json = out.get(0);
        int compared = 0;
        var m = java.util.regex.Pattern.compile("\"have_(\\w+?)_(prog|map)_type\":(true|false)").matcher(json);
        while (m.find()) {
            String name = m.group(1).toUpperCase(java.util.Locale.ROOT);
            boolean bpftool = Boolean.parseBoolean(m.group(3));
            Support ours = m.group(2).equals("prog") ? Features.programType(ProgramType.valueOf(name))
                    : Features.mapType(MapType.valueOf(name));
            assertThat(ours.available()).as("%s %s: bpftool says %s, we say %s", m.group(2), name, bpftool, ours)
                    .isEqualTo(bpftool);
            compared++;
        }
        assertThat(compared).isGreaterThan(50);
    }

    @Test
    void aMissingFeatureNamesItselfAndTheKernelThatHasIt() {
        assertThatThrownBy(() -> Features.requireHelper(ProgramType.XDP, 100_000, "bpf_from_the_future", "9.9"))
                .isInstanceOfSatisfying(UnsupportedFeatureException.class, e -> {
                    assertThat(e.feature()).isEqualTo("helper bpf_from_the_future in XDP programs");
                    assertThat(e.since()).isEqualTo("9.9");
                    assertThat(e.getMessage()).contains("needs Linux 9.9 or later");
                });
        Features.requireProgramType(ProgramType.XDP);
        Features.requireMapType(MapType.RINGBUF);
    }
}
