package io.jbpf.loader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jbpf.core.features.Features;
import io.jbpf.core.link.StructOpsLink;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.ProgramType;
import io.jbpf.core.testing.KernelTest;
import io.jbpf.core.testing.LlvmToolchain;
import io.jbpf.core.testing.NetLab;
import io.jbpf.core.testing.Shell;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TCP congestion control in C (native/testdata/elf/struct_ops.bpf.c, a {@code tcp_congestion_ops}
 * in {@code SEC(".struct_ops.link")}) loaded from its object: a STRUCT_OPS map laid out by the
 * kernel's BTF, its four programs loaded for their members, registered through a link — and then
 * used by real TCP in a network namespace of the test's own, which the programs' counters show.
 */
@KernelTest
class StructOpsObjectTest {
    private static final Path AVAILABLE = Path.of("/proc/sys/net/ipv4/tcp_available_congestion_control");
    static ObjectSpec spec;

    @BeforeAll
    static void compile(@TempDir Path dir) throws Exception {
        spec = ObjectSpec.open(BpfObjectTest.build(LlvmToolchain.require(),
                BpfObjectTest.SOURCE.resolveSibling("struct_ops.bpf.c"), dir));
    }

    @Test
    void theSpecHasAStructOpsMapAndProgramsForItsMembers() {
        io.jbpf.core.map.MapSpec map = spec.maps().get("jbpf_reno");
        assertThat(map.type()).isEqualTo(MapType.STRUCT_OPS);
        assertThat(map.flags() & MapFlags.LINK).isEqualTo(MapFlags.LINK);
        assertThat(map.kernelValueTypeId()).isPositive();
        assertThat(spec.programs()).containsKeys("jbpf_init", "jbpf_ssthresh", "jbpf_cong_avoid", "jbpf_undo_cwnd");
        io.jbpf.core.prog.ProgramSpec avoid = spec.programs().get("jbpf_cong_avoid");
        assertThat(avoid.type()).isEqualTo(ProgramType.STRUCT_OPS);
        io.jbpf.core.map.StructOpsValue v = io.jbpf.core.map.StructOpsValue.of(
                io.jbpf.core.btf.Btf.kernel().orElseThrow(), "tcp_congestion_ops");
        assertThat(avoid.attachBtfId()).isEqualTo(v.structTypeId());
        assertThat(avoid.structOpsMember()).isEqualTo(v.memberIndex("cong_avoid"));
    }

    @Test
    void tcpInANamespaceRunsOnTheCongestionControlWhileItIsAttached() throws Exception {
        Features.requireProgramType(ProgramType.STRUCT_OPS);
        try (BpfObject obj = BpfObject.load(spec); NetLab lab = NetLab.create()) {
            assertThat(Files.readString(AVAILABLE).trim().split(" ")).doesNotContain("jbpf_reno");
            StructOpsLink link = obj.attachStructOps("jbpf_reno");
            assertThat(Files.readString(AVAILABLE).trim().split(" ")).contains("jbpf_reno");

            // 8 MiB over the namespace's loopback from a socket that chose jbpf_reno
            Shell.Result r = Shell.run("ip", "netns", "exec", lab.nsA(), "python3", "-c", String.join("\n",
                    "import socket, threading",
                    "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(1)",
                    "def serve():",
                    "    c, _ = s.accept()",
                    "    while c.recv(1 << 16): pass",
                    "    c.close()",
                    "t = threading.Thread(target=serve); t.start()",
                    "c = socket.socket()",
                    "c.setsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, b'jbpf_reno')",
                    "c.connect(s.getsockname())",
                    "c.sendall(b'x' * (8 << 20))",
                    "print(c.getsockopt(socket.IPPROTO_TCP, socket.TCP_CONGESTION, 16).rstrip(b'\\0').decode())",
                    "c.close(); t.join()"));
            assertThat(r.ok()).as(r.output()).isTrue();
            assertThat(r.output().trim()).isEqualTo("jbpf_reno");
            assertThat(u64(obj.readVariable("init_calls"))).as("init, once per connection").isGreaterThanOrEqualTo(1);
            assertThat(u64(obj.readVariable("cong_avoid_calls"))).as("cong_avoid, per ACK that grows the window")
                    .isPositive();

            link.close();
            assertThat(Files.readString(AVAILABLE).trim().split(" ")).doesNotContain("jbpf_reno");
        }
    }

    @Test
    void attachingWhatIsNoLinkedStructOpsVariableSaysSo() {
        try (BpfObject obj = BpfObject.load(spec)) {
            assertThatThrownBy(() -> obj.attachStructOps("nope")).isInstanceOf(LoaderException.class)
                    .hasMessageContaining("no struct_ops variable 'nope'").hasMessageContaining("jbpf_reno");
        }
    }

    private static long u64(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getLong();
    }
}
