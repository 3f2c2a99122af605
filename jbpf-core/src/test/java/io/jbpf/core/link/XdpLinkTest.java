package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KernelTest
@Timeout(120)
@SuppressWarnings("try") // resources held open for their effect, and close() tested explicitly
class XdpLinkTest {
    static final int XDP_DROP = 1;
    static final int XDP_PASS = 2;

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

    @Test
    void dropProgramStopsPingAndClosingDetachesIt() {
        assertThat(lab.pingAtoB()).isTrue();
        try (Program drop = Progs.load("jbpf_xdp_drop", ProgramType.XDP, Progs.returning(XDP_DROP))) {
            XdpLink link = nsB.run(() -> XdpLink.attach(drop, NetLab.B_IF, XdpMode.GENERIC));
            try {
                assertThat(lab.pingAtoB()).isFalse();
                LinkInfo info = link.info();
                assertThat(info.type()).isEqualTo(LinkType.XDP);
                assertThat(info.programId()).isEqualTo(drop.id());
                assertThat(info.ifindex()).isEqualTo(nsB.ifindex(NetLab.B_IF)).isEqualTo(link.ifindex());
                assertThat(lab.ip(lab.nsB(), "link", "show", "dev", NetLab.B_IF)).contains("xdpgeneric");
            } finally {
                link.close();
            }
            assertThat(link.isClosed()).isTrue();
            assertThat(lab.ip(lab.nsB(), "link", "show", "dev", NetLab.B_IF)).doesNotContain("xdp");
            assertThat(lab.pingAtoB()).isTrue();
            assertThatThrownBy(link::info).isInstanceOf(ObjectClosedException.class);
            link.close(); // idempotent
        }
    }

    @Test
    void driverModeCountsPacketsAndUpdateSwapsTheProgram() {
        try (KernelMap counter = Progs.counterMap();
                Program count = Progs.load("jbpf_xdp_count", ProgramType.XDP, Progs.counting(counter.fd(), XDP_PASS));
                Program drop = Progs.load("jbpf_xdp_drop", ProgramType.XDP, Progs.returning(XDP_DROP));
                XdpLink link = nsB.run(() -> XdpLink.attach(count, NetLab.B_IF, XdpMode.DRIVER))) {
            assertThat(lab.ip(lab.nsB(), "link", "show", "dev", NetLab.B_IF)).contains("xdp").doesNotContain("xdpgeneric");
            assertThat(lab.pingAtoB()).isTrue();
            assertThat(Progs.count(counter)).isPositive();

            link.update(drop);
            assertThat(link.info().programId()).isEqualTo(drop.id());
            assertThat(lab.pingAtoB()).isFalse();
            link.update(count, drop);
            assertThat(lab.pingAtoB()).isTrue();
        }
    }

    @Test
    void aPinnedLinkKeepsTheProgramAttachedAfterClose() throws Exception {
        Bpffs.ensureMounted();
        Path pin = Path.of(Bpffs.DEFAULT_ROOT, "jbpf-xdp-link-" + ProcessHandle.current().pid());
        try (Program drop = Progs.load("jbpf_xdp_drop", ProgramType.XDP, Progs.returning(XDP_DROP))) {
            int linkId;
            try (XdpLink link = nsB.run(() -> XdpLink.attach(drop, NetLab.B_IF, XdpMode.GENERIC))) {
                linkId = link.id();
                link.pin(pin.toString());
            }
            assertThat(lab.pingAtoB()).isFalse();
            try (PinnedLink pinned = BpfLink.openPinned(pin.toString())) {
                assertThat(pinned.info().id()).isEqualTo(linkId);
                assertThat(pinned.info().type()).isEqualTo(LinkType.XDP);
                pinned.detach(); // detaches although the pin still exists
                assertThat(lab.pingAtoB()).isTrue();
                assertThat(Files.exists(pin)).isTrue();
                pinned.unpin();
                assertThat(Files.exists(pin)).isFalse();
            }
            assertThat(lab.pingAtoB()).isTrue();
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void secondProgramOnTheSameInterfaceIsRefusedWithAHint() {
        try (Program pass = Progs.load("jbpf_xdp_pass", ProgramType.XDP, Progs.returning(XDP_PASS));
                XdpLink first = nsB.run(() -> XdpLink.attach(pass, NetLab.B_IF, XdpMode.GENERIC))) {
            assertThatThrownBy(() -> nsB.run(() -> XdpLink.attach(pass, NetLab.B_IF, XdpMode.GENERIC)))
                    .isInstanceOf(AttachException.class)
                    .hasMessageContaining("jbpf_xdp_pass")
                    .hasMessageContaining("already attached");
            assertThat(first.isClosed()).isFalse();
        }
    }

    @Test
    void unknownInterfaceAndClosedProgramAreNamed() {
        try (Program pass = Progs.load("jbpf_xdp_pass", ProgramType.XDP, Progs.returning(XDP_PASS))) {
            assertThatThrownBy(() -> nsB.run(() -> XdpLink.attach(pass, "jbpf-nope", XdpMode.GENERIC)))
                    .isInstanceOfSatisfying(AttachTargetNotFoundException.class, e -> {
                        assertThat(e.kind()).isEqualTo("network interface");
                        assertThat(e.name()).isEqualTo("jbpf-nope");
                    })
                    .hasMessageContaining("'jbpf-nope'");
            assertThatThrownBy(() -> nsB.ifindex("jbpf-nope")).isInstanceOf(AttachTargetNotFoundException.class)
                    .hasMessageContaining(lab.nsB());
            pass.close();
            assertThatThrownBy(() -> nsB.run(() -> XdpLink.attach(pass, NetLab.B_IF, XdpMode.GENERIC)))
                    .isInstanceOf(ObjectClosedException.class)
                    .hasMessageContaining("jbpf_xdp_pass");
        }
    }
}
