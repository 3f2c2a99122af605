package io.jbpf.core.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Bpffs;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.prog.AttachType;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import io.jbpf.core.testing.TestCgroup;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Programs on a test cgroup, seen by a ping that a child process in that cgroup sends between two test namespaces. */
@KernelTest
@Timeout(120)
@SuppressWarnings("try") // resources held open for their effect, and close() tested explicitly
class CgroupLinkTest {
    static final int DROP = 0;
    static final int ALLOW = 1;

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

    static Shell.Result pingFrom(TestCgroup cg) {
        return cg.runInside("exec ip netns exec " + lab.nsA() + " ping -c 1 -W 1 " + lab.addressB());
    }

    @Test
    void egressDropBlocksTheChildsPingAndCloseDetaches() throws Exception {
        try (TestCgroup cg = TestCgroup.create();
                Program drop = Progs.load("jbpf_cg_drop", ProgramType.CGROUP_SKB, Progs.returning(DROP))) {
            assertThat(pingFrom(cg).ok()).isTrue();
            CgroupLink link = CgroupLink.attach(drop, cg.path(), AttachType.CGROUP_INET_EGRESS);
            try {
                Shell.Result r = pingFrom(cg);
                assertThat(r.ok()).as(r.output()).isFalse();
                assertThat(lab.pingAtoB()).as("the test process is not in the cgroup").isTrue();
                LinkInfo info = link.info();
                assertThat(info.type()).isEqualTo(LinkType.CGROUP);
                assertThat(info.attachType()).isEqualTo(AttachType.CGROUP_INET_EGRESS);
                assertThat(info.programId()).isEqualTo(drop.id());
                assertThat(info.cgroupId()).isPositive();
                assertThat(AttachedPrograms.ofCgroup(cg.path(), AttachType.CGROUP_INET_EGRESS).programIds())
                        .containsExactly(drop.id());
            } finally {
                link.close();
            }
            assertThat(AttachedPrograms.ofCgroup(cg.path(), AttachType.CGROUP_INET_EGRESS).programIds()).isEmpty();
            assertThat(pingFrom(cg).ok()).isTrue();
        }
    }

    @Test
    void ingressCounterAndUpdate() throws Exception {
        try (TestCgroup cg = TestCgroup.create();
                KernelMap counter = Progs.counterMap();
                Program count = Progs.load("jbpf_cg_count", ProgramType.CGROUP_SKB, Progs.counting(counter.fd(), ALLOW));
                Program drop = Progs.load("jbpf_cg_drop", ProgramType.CGROUP_SKB, Progs.returning(DROP));
                CgroupLink link = CgroupLink.attach(count, cg.path(), AttachType.CGROUP_INET_INGRESS)) {
            assertThat(pingFrom(cg).ok()).isTrue();
            assertThat(Progs.count(counter)).isPositive();
            link.update(drop);
            assertThat(pingFrom(cg).ok()).isFalse();
        }
    }

    @Test
    void sockCreateHookRefusesSockets() throws Exception {
        try (TestCgroup cg = TestCgroup.create();
                Program deny = Progs.load("jbpf_cg_sock", ProgramType.CGROUP_SOCK, AttachType.CGROUP_INET_SOCK_CREATE,
                        Progs.returning(DROP));
                CgroupLink link = CgroupLink.attach(deny, cg.path(), AttachType.CGROUP_INET_SOCK_CREATE)) {
            Shell.Result r = pingFrom(cg);
            assertThat(r.ok()).isFalse();
            assertThat(r.output()).contains("Operation not permitted");
        }
    }

    @Test
    void connect4SysctlAndDeviceHooksDeny() throws Exception {
        try (TestCgroup cg = TestCgroup.create();
                Program connect = Progs.load("jbpf_cg_conn4", ProgramType.CGROUP_SOCK_ADDR, AttachType.CGROUP_INET4_CONNECT,
                        Progs.returning(DROP));
                Program sysctl = Progs.load("jbpf_cg_sysctl", ProgramType.CGROUP_SYSCTL, Progs.returning(DROP));
                Program device = Progs.load("jbpf_cg_dev", ProgramType.CGROUP_DEVICE, Progs.returning(DROP))) {
            String readSysctl = "cat /proc/sys/kernel/ostype";
            String readDevice = "head -c 1 /dev/zero > /dev/null";
            assertThat(cg.runInside(readSysctl).ok()).isTrue();
            assertThat(cg.runInside(readDevice).ok()).isTrue();
            try (CgroupLink l = CgroupLink.attach(connect, cg.path(), AttachType.CGROUP_INET4_CONNECT)) {
                // ping connects a UDP socket to find its source address
                assertThat(pingFrom(cg).ok()).isFalse();
            }
            try (CgroupLink l = CgroupLink.attach(sysctl, cg.path(), AttachType.CGROUP_SYSCTL)) {
                Shell.Result r = cg.runInside(readSysctl);
                assertThat(r.ok()).isFalse();
                assertThat(r.output()).contains("Operation not permitted");
            }
            try (CgroupLink l = CgroupLink.attach(device, cg.path(), AttachType.CGROUP_DEVICE)) {
                Shell.Result r = cg.runInside(readDevice);
                assertThat(r.ok()).isFalse();
                assertThat(r.output()).contains("Operation not permitted");
            }
            assertThat(pingFrom(cg).ok()).isTrue();
            assertThat(cg.runInside(readSysctl).ok()).isTrue();
            assertThat(cg.runInside(readDevice).ok()).isTrue();
        }
    }

    @Test
    void aPinnedCgroupLinkOutlivesItsObject() throws Exception {
        Bpffs.ensureMounted();
        Path pin = Path.of(Bpffs.DEFAULT_ROOT, "jbpf-cg-link-" + ProcessHandle.current().pid());
        try (TestCgroup cg = TestCgroup.create();
                Program drop = Progs.load("jbpf_cg_drop", ProgramType.CGROUP_SKB, Progs.returning(DROP))) {
            try (CgroupLink link = CgroupLink.attach(drop, cg.path(), AttachType.CGROUP_INET_EGRESS)) {
                link.pin(pin.toString());
            }
            assertThat(pingFrom(cg).ok()).isFalse();
            Files.delete(pin);
            // freed from a kernel work queue once the pin, its last reference, is gone
            assertThat(io.jbpf.core.testing.Eventually.within(java.time.Duration.ofSeconds(5), () -> pingFrom(cg).ok()))
                    .isTrue();
        } finally {
            Files.deleteIfExists(pin);
        }
    }

    @Test
    void badTargetsAreNamed() throws Exception {
        try (Program drop = Progs.load("jbpf_cg_drop", ProgramType.CGROUP_SKB, Progs.returning(DROP))) {
            Path missing = TestCgroup.root().resolve("jbpf-missing-" + ProcessHandle.current().pid());
            assertThatThrownBy(() -> CgroupLink.attach(drop, missing, AttachType.CGROUP_INET_EGRESS))
                    .isInstanceOfSatisfying(AttachTargetNotFoundException.class, e -> assertThat(e.kind()).isEqualTo("cgroup"))
                    .hasMessageContaining(missing.toString());
            assertThatThrownBy(() -> CgroupLink.attach(drop, TestCgroup.root(), AttachType.XDP))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("XDP");
            try (TestCgroup cg = TestCgroup.create()) {
                assertThatThrownBy(() -> CgroupLink.attach(drop, cg.path(), AttachType.CGROUP_INET4_CONNECT))
                        .isInstanceOf(AttachException.class).hasMessageContaining("jbpf_cg_drop")
                        .hasMessageContaining(cg.path().toString());
                drop.close();
                assertThatThrownBy(() -> CgroupLink.attach(drop, cg.path(), AttachType.CGROUP_INET_EGRESS))
                        .isInstanceOf(ObjectClosedException.class).hasMessageContaining("jbpf_cg_drop");
            }
        }
    }
}
