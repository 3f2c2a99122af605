package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.Errno;
import io.jbpf.core.NetlinkException;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KernelTest
@Timeout(120)
class TcFilterAttachmentTest {
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;

    static NetLab lab;
    static NetNamespace nsB;

    @BeforeAll
    static void setUp() {
        lab = NetLab.create();
        nsB = NetNamespace.open(lab.nsB());
    }

    @AfterAll
    static void tearDown() {
        if (nsB != null) {
            nsB.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    static String qdiscs() {
        return Shell.check("tc", "-n", lab.nsB(), "qdisc", "show", "dev", NetLab.B_IF);
    }

    @Test
    void shotFilterStopsPingAndCloseRemovesFilterAndTheQdiscItAdded() {
        assertThat(qdiscs()).doesNotContain("clsact");
        try (Program shot = Progs.load("jbpf_cls_shot", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_SHOT));
                Program ok = Progs.load("jbpf_cls_ok", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_OK))) {
            int ifindex = nsB.ifindex(NetLab.B_IF);
            TcFilterAttachment a = nsB.run(() -> TcFilterAttachment.attach(shot, ifindex, TcDirection.INGRESS, 7, 3));
            try {
                assertThat(a.createdQdisc()).isTrue();
                assertThat(qdiscs()).contains("clsact");
                assertThat(Shell.check("tc", "-n", lab.nsB(), "filter", "show", "dev", NetLab.B_IF, "ingress"))
                        .contains("jbpf_cls_shot").contains("direct-action").contains("pref 7").contains("handle 0x3");
                assertThat(nsB.run(() -> TcFilterAttachment.attachedProgramIds(ifindex, TcDirection.INGRESS)))
                        .containsExactly(shot.id());
                assertThat(lab.pingAtoB()).isFalse();
                a.update(ok);
                assertThat(nsB.run(() -> TcFilterAttachment.attachedProgramIds(ifindex, TcDirection.INGRESS)))
                        .containsExactly(ok.id());
                assertThat(lab.pingAtoB()).isTrue();
                assertThatThrownBy(a::info).isInstanceOf(UnsupportedOperationException.class);
            } finally {
                a.close();
            }
            assertThat(nsB.run(() -> TcFilterAttachment.attachedProgramIds(ifindex, TcDirection.INGRESS))).isEmpty();
            assertThat(qdiscs()).doesNotContain("clsact");
        }
    }

    @Test
    void aQdiscThatWasThereBeforeStays() {
        Shell.check("tc", "-n", lab.nsB(), "qdisc", "add", "dev", NetLab.B_IF, "clsact");
        try (Program shot = Progs.load("jbpf_cls_shot", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_SHOT))) {
            try (TcFilterAttachment a = nsB.run(() -> TcFilterAttachment.attach(shot, NetLab.B_IF, TcDirection.EGRESS))) {
                assertThat(a.createdQdisc()).isFalse();
                assertThat(lab.pingAtoB()).isFalse();
            }
            assertThat(qdiscs()).contains("clsact");
            assertThat(lab.pingAtoB()).isTrue();
        } finally {
            Shell.run("tc", "-n", lab.nsB(), "qdisc", "del", "dev", NetLab.B_IF, "clsact");
        }
    }

    @Test
    void theQdiscStaysWhileAnotherFilterRemains() {
        try (Program ok = Progs.load("jbpf_cls_ok", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_OK))) {
            TcFilterAttachment first = nsB.run(() -> TcFilterAttachment.attach(ok, NetLab.B_IF, TcDirection.INGRESS, 1, 1));
            try (TcFilterAttachment second = nsB.run(() -> TcFilterAttachment.attach(ok, NetLab.B_IF, TcDirection.EGRESS, 2, 1))) {
                assertThat(first.createdQdisc()).isTrue();
                assertThat(second.createdQdisc()).isFalse();
                assertThatThrownBy(() -> nsB.run(() -> TcFilterAttachment.attach(ok, NetLab.B_IF, TcDirection.INGRESS, 1, 1)))
                        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST))
                        .hasMessageContaining("jbpf_cls_ok").hasMessageContaining("priority 1 handle 1");
                first.close();
                assertThat(qdiscs()).contains("clsact");
            } finally {
                first.close();
            }
            // documented: the creator closed first, so nobody removes the qdisc
            assertThat(qdiscs()).contains("clsact");
        } finally {
            Shell.run("tc", "-n", lab.nsB(), "qdisc", "del", "dev", NetLab.B_IF, "clsact");
        }
    }

    @Test
    void unknownInterfaceIsNamed() {
        try (Program ok = Progs.load("jbpf_cls_ok", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_OK))) {
            assertThatThrownBy(() -> nsB.run(() -> TcFilterAttachment.attach(ok, "jbpf-none", TcDirection.INGRESS)))
                    .isInstanceOf(AttachTargetNotFoundException.class).hasMessageContaining("jbpf-none");
        }
    }
}
