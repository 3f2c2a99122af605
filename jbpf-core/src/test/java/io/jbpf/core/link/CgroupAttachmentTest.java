package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.Errno;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.TestCgroup;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KernelTest
@Timeout(120)
class CgroupAttachmentTest {
    static NetLab lab;

    @BeforeAll
    static void setUp() {
        lab = NetLab.create();
    }

    @AfterAll
    static void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    static boolean pingFrom(TestCgroup cg) {
        return cg.runInside("exec ip netns exec " + lab.nsA() + " ping -c 1 -W 1 " + lab.addressB()).ok();
    }

    static AttachedPrograms egress(Path cg) {
        return AttachedPrograms.ofCgroup(cg, AttachType.CGROUP_INET_EGRESS);
    }

    @Test
    void multiModeAttachReplaceAndDetach() throws Exception {
        try (TestCgroup cg = TestCgroup.create();
                Program drop = Progs.load("jbpf_cg_drop", ProgramType.CGROUP_SKB, Progs.returning(0));
                Program allow = Progs.load("jbpf_cg_allow", ProgramType.CGROUP_SKB, Progs.returning(1));
                Program allow2 = Progs.load("jbpf_cg_allow2", ProgramType.CGROUP_SKB, Progs.returning(1))) {
            CgroupAttachment a = CgroupAttachment.attach(allow, cg.path(), AttachType.CGROUP_INET_EGRESS,
                    CgroupAttachMode.MULTI);
            try (CgroupAttachment b = CgroupAttachment.attach(drop, cg.path(), AttachType.CGROUP_INET_EGRESS,
                    CgroupAttachMode.MULTI)) {
                assertThat(egress(cg.path()).programIds()).containsExactlyInAnyOrder(allow.id(), drop.id());
                assertThat(pingFrom(cg)).isFalse();
                b.update(allow2);
                assertThat(egress(cg.path()).programIds()).containsExactlyInAnyOrder(allow.id(), allow2.id());
                assertThat(pingFrom(cg)).isTrue();
            }
            assertThat(egress(cg.path()).programIds()).containsExactly(allow.id());
            a.close();
            assertThat(a.isClosed()).isTrue();
            assertThat(egress(cg.path()).programIds()).isEmpty();
            assertThatThrownBy(a::info).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void overrideModeUpdateAndModeConflicts() throws Exception {
        try (TestCgroup cg = TestCgroup.create();
                Program drop = Progs.load("jbpf_cg_drop", ProgramType.CGROUP_SKB, Progs.returning(0));
                Program allow = Progs.load("jbpf_cg_allow", ProgramType.CGROUP_SKB, Progs.returning(1));
                CgroupAttachment a = CgroupAttachment.attach(drop, cg.path(), AttachType.CGROUP_INET_EGRESS,
                        CgroupAttachMode.OVERRIDE)) {
            assertThat(pingFrom(cg)).isFalse();
            a.update(allow);
            assertThat(egress(cg.path()).programIds()).containsExactly(allow.id());
            assertThat(pingFrom(cg)).isTrue();
            assertThatThrownBy(() -> CgroupAttachment.attach(drop, cg.path(), AttachType.CGROUP_INET_EGRESS,
                    CgroupAttachMode.MULTI))
                    .isInstanceOfSatisfying(AttachException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM))
                    .hasMessageContaining(cg.path().toString());
        }
    }

    @Test
    void missingCgroupIsNamed() {
        try (Program drop = Progs.load("jbpf_cg_drop", ProgramType.CGROUP_SKB, Progs.returning(0))) {
            Path missing = TestCgroup.root().resolve("jbpf-missing");
            assertThatThrownBy(() -> CgroupAttachment.attach(drop, missing, AttachType.CGROUP_INET_EGRESS,
                    CgroupAttachMode.NONE))
                    .isInstanceOf(AttachTargetNotFoundException.class).hasMessageContaining("jbpf-missing");
        }
    }
}
