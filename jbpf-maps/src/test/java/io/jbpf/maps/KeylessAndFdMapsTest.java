package io.jbpf.maps;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R3;
import static io.jbpf.core.insn.Reg.R6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.maps.codec.Codecs;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Queues, stacks, bloom filters, program arrays and maps of maps. */
@KernelTest
class KeylessAndFdMapsTest {

    @Test
    void queuesAreFifoAndStacksLifo() {
        try (BpfQueue<Long> q = BpfQueue.create("jbpf_t_q", 3, Codecs.u64());
                BpfStack<Long> s = BpfStack.create("jbpf_t_s", 3, Codecs.u64())) {
            assertThat(q.pop()).isNull();
            assertThat(q.peek()).isNull();
            assertThat(q.isEmpty()).isTrue();
            for (long v = 1; v <= 3; v++) {
                q.push(v);
                s.push(v);
            }
            assertThatThrownBy(() -> q.push(4L)).isInstanceOfSatisfying(MapFullException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG)).hasMessageContaining("jbpf_t_q");
            assertThatThrownBy(() -> s.push(4L)).isInstanceOf(MapFullException.class);
            q.pushOverwriting(4L);
            assertThat(q.peek()).isEqualTo(2L);
            assertThat(q.pop()).isEqualTo(2L);
            assertThat(q.pop()).isEqualTo(3L);
            assertThat(q.pop()).isEqualTo(4L);
            assertThat(q.pop()).isNull();
            assertThat(s.pop()).isEqualTo(3L);
            assertThat(s.peek()).isEqualTo(2L);
            assertThat(s.pop()).isEqualTo(2L);
            assertThat(s.pop()).isEqualTo(1L);
            assertThat(s.isEmpty()).isTrue();
        }
    }

    @Test
    void bloomFiltersNeverForgetAndRarelyLie() {
        try (BpfBloomFilter<Integer> b = BpfBloomFilter.create("jbpf_t_bloom", 1000, 3, Codecs.s32())) {
            for (int i = 0; i < 100; i++) {
                b.add(i * 2);
            }
            for (int i = 0; i < 100; i++) {
                assertThat(b.mightContain(i * 2)).as("added %d", i * 2).isTrue();
            }
            int falsePositives = 0;
            for (int i = 0; i < 100; i++) {
                if (b.mightContain(100_001 + i * 2)) {
                    falsePositives++;
                }
            }
            assertThat(falsePositives).as("a 1000-entry filter holding 100 values").isLessThan(10);
            assertThat(b.mightContain(7)).isFalse();
        }
    }

    /** A program that tail-calls slot 0 of "jmp" and returns 1 when the slot is empty. */
    static ProgramSpec caller() {
        return ProgramSpec.builder("jbpf_t_caller", ProgramType.XDP).instructions(new Assembler()
                .mov(R6, R1)
                .mov(R1, R6)
                .ldMap(R2, "jmp")
                .mov(R3, 0)
                .call(Helper.ofName("tail_call"))
                .mov(R0, 1)
                .exit()
                .build()).build();
    }

    static ProgramSpec returns(int value) {
        return ProgramSpec.builder("jbpf_t_callee", ProgramType.XDP).instructions(new Assembler()
                .mov(R0, value)
                .exit()
                .build()).build();
    }

    @Test
    void programArraysRouteTailCalls() {
        try (BpfProgramArray jmp = BpfProgramArray.create("jmp", 4);
                Program callee = Program.load(returns(3));
                Program caller = Program.load(caller(), Map.of("jmp", jmp.kernelMap()))) {
            TestRun run = TestRun.withData(new byte[64]);
            assertThat(caller.testRun(run).returnValue()).as("empty slot").isEqualTo(1);
            jmp.set(0, callee);
            assertThat(jmp.id(0)).isEqualTo(callee.id());
            assertThat(jmp.id(1)).isNull();
            assertThat(jmp.keys()).containsExactly(0);
            assertThat(caller.testRun(run).returnValue()).as("tail call").isEqualTo(3);
            assertThat(jmp.remove(0)).isTrue();
            assertThat(caller.testRun(run).returnValue()).isEqualTo(1);
            assertThatThrownBy(() -> jmp.set(4, callee)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.E2BIG));
        }
    }

    @Test
    void mapsOfMapsHoldInnerMapsAndGiveTheirIds() {
        MapSpec inner = MapSpec.of("jbpf_t_inner", MapType.HASH, 4, 8, 8);
        try (BpfArrayOfMaps aom = BpfArrayOfMaps.create(MapSpec.of("jbpf_t_aom", MapType.ARRAY_OF_MAPS, 4, 4, 2)
                .withInnerMap(inner));
                BpfHashOfMaps<Long> hom = BpfHashOfMaps.create(MapSpec.of("jbpf_t_hom", MapType.HASH_OF_MAPS, 8, 4, 4)
                        .withInnerMap(inner), Codecs.u64());
                KernelMap member = KernelMap.create(inner);
                KernelMap misfit = KernelMap.create(MapSpec.of("jbpf_t_misfit", MapType.ARRAY, 4, 8, 8))) {
            aom.set(1, member);
            assertThat(aom.id(1)).isEqualTo(member.id());
            assertThat(aom.id(0)).isNull();
            hom.set(42L, member);
            assertThat(hom.id(42L)).isEqualTo(member.id());
            assertThat(hom.id(43L)).isNull();
            assertThat(hom.keys()).containsExactly(42L);
            assertThatThrownBy(() -> hom.set(1L, misfit)).isInstanceOfSatisfying(BpfException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
            assertThat(hom.remove(42L)).isTrue();
            assertThat(hom.id(42L)).isNull();
        }
        assertThatThrownBy(() -> BpfArrayOfMaps.create(MapSpec.of("jbpf_t_aom2", MapType.ARRAY_OF_MAPS, 4, 4, 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("inner map template");
    }
}
