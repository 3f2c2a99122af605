package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KernelTest
@Timeout(120)
@SuppressWarnings("try") // resources held open for their effect, and close() tested explicitly
class TcxLinkTest {
    static final int TCX_NEXT = -1;
    static final int TC_ACT_OK = 0;
    static final int TC_ACT_SHOT = 2;

    static NetLab lab;
    static NetNamespace nsA;
    static NetNamespace nsB;

    @BeforeAll
    static void setUp() {
        lab = NetLab.create();
        nsA = NetNamespace.open(lab.nsA());
        nsB = NetNamespace.open(lab.nsB());
    }

    @AfterAll
    static void tearDown() {
        for (NetNamespace ns : new NetNamespace[] {nsA, nsB}) {
            if (ns != null) {
                ns.close();
            }
        }
        if (lab != null) {
            lab.close();
        }
    }

    static AttachedPrograms ingressOfB() {
        return nsB.run(() -> AttachedPrograms.ofInterface(nsB.ifindex(NetLab.B_IF), AttachType.TCX_INGRESS));
    }

    @Test
    void shotOnIngressStopsPingAndCloseDetaches() {
        try (Program shot = Progs.load("jbpf_tc_shot", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_SHOT))) {
            TcxLink link = nsB.run(() -> TcxLink.attach(shot, NetLab.B_IF, TcDirection.INGRESS));
            try {
                assertThat(lab.pingAtoB()).isFalse();
                LinkInfo info = link.info();
                assertThat(info.type()).isEqualTo(LinkType.TCX);
                assertThat(info.attachType()).isEqualTo(AttachType.TCX_INGRESS);
                assertThat(info.ifindex()).isEqualTo(link.ifindex());
                AttachedPrograms q = ingressOfB();
                assertThat(q.programIds()).containsExactly(shot.id());
                assertThat(q.linkIds()).containsExactly(info.id());
                assertThat(q.revision()).isPositive();
            } finally {
                link.close();
            }
            assertThat(ingressOfB().programIds()).isEmpty();
            assertThat(lab.pingAtoB()).isTrue();
        }
    }

    @Test
    void egressCounterSeesThePingAndUpdateSwapsTheProgram() {
        try (KernelMap counter = Progs.counterMap();
                Program count = Progs.load("jbpf_tc_count", ProgramType.SCHED_CLS, Progs.counting(counter.fd(), TC_ACT_OK));
                Program shot = Progs.load("jbpf_tc_shot", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_SHOT));
                TcxLink link = nsA.run(() -> TcxLink.attach(count, NetLab.A_IF, TcDirection.EGRESS))) {
            assertThat(lab.pingAtoB()).isTrue();
            assertThat(Progs.count(counter)).isPositive();
            link.update(shot);
            assertThat(link.info().programId()).isEqualTo(shot.id());
            assertThat(lab.pingAtoB()).isFalse();
        }
        assertThat(lab.pingAtoB()).isTrue();
    }

    @Test
    void anchorsOrderThePrograms() {
        try (Program p1 = Progs.load("jbpf_tc_1", ProgramType.SCHED_CLS, Progs.returning(TCX_NEXT));
                Program p2 = Progs.load("jbpf_tc_2", ProgramType.SCHED_CLS, Progs.returning(TCX_NEXT));
                Program p3 = Progs.load("jbpf_tc_3", ProgramType.SCHED_CLS, Progs.returning(TCX_NEXT));
                Program p4 = Progs.load("jbpf_tc_4", ProgramType.SCHED_CLS, Progs.returning(TCX_NEXT))) {
            int ifindex = nsB.ifindex(NetLab.B_IF);
            try (TcxLink l1 = nsB.run(() -> TcxLink.attach(p1, ifindex, TcDirection.INGRESS));
                    TcxLink l2 = nsB.run(() -> TcxLink.attach(p2, ifindex, TcDirection.INGRESS, Anchor.first(), 0));
                    TcxLink l3 = nsB.run(() -> TcxLink.attach(p3, ifindex, TcDirection.INGRESS, Anchor.after(l2), 0));
                    TcxLink l4 = nsB.run(() -> TcxLink.attach(p4, ifindex, TcDirection.INGRESS,
                            Anchor.beforeProgramId(p1.id()), ingressOfB().revision()))) {
                assertThat(ingressOfB().programIds()).containsExactly(p2.id(), p3.id(), p4.id(), p1.id());
                assertThat(lab.pingAtoB()).isTrue();
                long stale = ingressOfB().revision() - 1;
                assertThatThrownBy(() -> nsB.run(() -> TcxLink.attach(p1, ifindex, TcDirection.INGRESS, Anchor.last(), stale)))
                        .isInstanceOf(AttachException.class).hasMessageContaining("ESTALE");
            }
            assertThat(ingressOfB().programIds()).isEmpty();
        }
    }

    @Test
    void unknownInterfaceIsNamed() {
        try (Program p = Progs.load("jbpf_tc_1", ProgramType.SCHED_CLS, Progs.returning(TC_ACT_OK))) {
            assertThatThrownBy(() -> nsB.run(() -> TcxLink.attach(p, "jbpf-none", TcDirection.EGRESS)))
                    .isInstanceOf(AttachTargetNotFoundException.class).hasMessageContaining("jbpf-none");
            assertThatThrownBy(() -> nsB.run(() -> TcxLink.attach(p, 99999, TcDirection.EGRESS)))
                    .isInstanceOf(AttachException.class).hasMessageContaining("99999").hasMessageContaining("ENODEV");
        }
    }
}
