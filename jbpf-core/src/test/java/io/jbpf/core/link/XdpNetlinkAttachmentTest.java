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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@KernelTest
@Timeout(120)
class XdpNetlinkAttachmentTest {
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

    static Integer attachedId() {
        return nsB.run(() -> {
            var id = XdpNetlinkAttachment.attachedProgramId(nsB.ifindex(NetLab.B_IF));
            return id.isPresent() ? id.getAsInt() : null;
        });
    }

    @Test
    void attachUpdateAndDetachOverNetlink() {
        try (Program drop = Progs.load("jbpf_xdp_drop", ProgramType.XDP, Progs.returning(XdpLinkTest.XDP_DROP));
                Program pass = Progs.load("jbpf_xdp_pass", ProgramType.XDP, Progs.returning(XdpLinkTest.XDP_PASS))) {
            XdpNetlinkAttachment a = nsB.run(() -> XdpNetlinkAttachment.attach(drop, NetLab.B_IF, XdpMode.GENERIC));
            try {
                assertThat(attachedId()).isEqualTo(drop.id());
                assertThat(lab.ip(lab.nsB(), "link", "show", "dev", NetLab.B_IF)).contains("xdpgeneric");
                assertThat(lab.pingAtoB()).isFalse();
                a.update(pass);
                assertThat(attachedId()).isEqualTo(pass.id());
                assertThat(lab.pingAtoB()).isTrue();
                assertThatThrownBy(() -> a.pin("/sys/fs/bpf/jbpf-never")).isInstanceOf(UnsupportedOperationException.class);
            } finally {
                a.close();
            }
            assertThat(attachedId()).isNull();
            assertThat(lab.ip(lab.nsB(), "link", "show", "dev", NetLab.B_IF)).doesNotContain("xdp");
            assertThat(lab.pingAtoB()).isTrue();
        }
    }

    @Test
    void refusesToReplaceAnotherProgramAndSaysWhy() {
        try (Program pass = Progs.load("jbpf_xdp_pass", ProgramType.XDP, Progs.returning(XdpLinkTest.XDP_PASS));
                XdpNetlinkAttachment a = nsB.run(() -> XdpNetlinkAttachment.attach(pass, NetLab.B_IF, XdpMode.GENERIC))) {
            assertThatThrownBy(() -> nsB.run(() -> XdpNetlinkAttachment.attach(pass, NetLab.B_IF, XdpMode.GENERIC)))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EBUSY);
                        assertThat(e.kernelMessage()).isNotEmpty();
                    })
                    .hasMessageContaining("jbpf_xdp_pass").hasMessageContaining("the kernel says");
            // an XDP link cannot take over either
            assertThatThrownBy(() -> nsB.run(() -> XdpLink.attach(pass, NetLab.B_IF, XdpMode.GENERIC)))
                    .isInstanceOf(AttachException.class);
            assertThat(a.isClosed()).isFalse();
        }
    }

    @Test
    void theKernelsExtendedAckMessageIsReported() {
        try (Program pass = Progs.load("jbpf_xdp_pass", ProgramType.XDP, Progs.returning(XdpLinkTest.XDP_PASS))) {
            // the loopback driver has no native XDP
            assertThatThrownBy(() -> nsB.run(() -> XdpNetlinkAttachment.attach(pass, "lo", XdpMode.DRIVER)))
                    .isInstanceOfSatisfying(NetlinkException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.EOPNOTSUPP);
                        assertThat(e.kernelMessage()).containsIgnoringCase("native");
                    });
            assertThatThrownBy(() -> nsB.run(() -> XdpNetlinkAttachment.attach(pass, "jbpf-none", XdpMode.GENERIC)))
                    .isInstanceOf(AttachTargetNotFoundException.class).hasMessageContaining("jbpf-none");
        }
    }
}
