package io.jbpf.netpolicy.conntrack;

import static org.assertj.core.api.Assertions.assertThat;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MemoryMap;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.TestRun;
import io.jbpf.core.vm.SkbContext;
import io.jbpf.core.vm.Vm;
import io.jbpf.core.vm.VmProgram;
import io.jbpf.netpolicy.policy.Direction;
import io.jbpf.test.packet.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The probes of two hooks (ingress, egress), each as a "policy allows" probe that creates entries
 * and a "policy denies" one that only looks, over one conntrack map in the kernel and the same
 * programs over one map in the VM, whose clock the test sets.
 */
final class CtHooks implements AutoCloseable {
    static final int IDENTITY = 4242;

    final KernelMap kernelMap;
    final MemoryMap vmMap;
    /** The VM's CLOCK_MONOTONIC in nanoseconds: starts at the real clock's, moves only when the test says. */
    final AtomicLong vmClock = new AtomicLong(ConntrackMap.kernelNowNanos());
    /** The kernel's second when the hooks were made: its refreshes land up to the seconds passed since later. */
    private final long kernelStart = ConntrackMap.seconds(ConntrackMap.kernelNowNanos());
    private final List<Program> kernel = new ArrayList<>();
    private final List<VmProgram> vm = new ArrayList<>();

    CtHooks(String name, int maxEntries) {
        this(name, maxEntries, ConntrackTimeouts.DEFAULTS);
    }

    CtHooks(String name, int maxEntries, ConntrackTimeouts timeouts) {
        kernelMap = KernelMap.create(ConntrackMap.spec(name, maxEntries));
        vmMap = MemoryMap.create(ConntrackMap.spec("ct", maxEntries));
        Vm machine = Vm.builder().clock(vmClock::get).build();
        try {
            for (Direction d : Direction.values()) {
                for (boolean allow : new boolean[] {false, true}) {
                    ProgramSpec spec = ConntrackProbe.program("jbpf_ct_" + (d == Direction.INGRESS ? "in" : "eg") + (allow ? "_a" : "_d"),
                            "ct", d, allow, IDENTITY, timeouts);
                    kernel.add(Program.load(spec, Map.of("ct", kernelMap)));
                    vm.add(machine.load(spec, Map.of("ct", vmMap)));
                }
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private static int index(Direction d, boolean allow) {
        return d.ordinal() * 2 + (allow ? 1 : 0);
    }

    int kernel(Direction d, boolean allow, Packet p) {
        return kernel.get(index(d, allow)).testRun(TestRun.withData(p.bytes())).returnValue();
    }

    int vm(Direction d, boolean allow, Packet p) {
        return (int) vm.get(index(d, allow)).run(SkbContext.tc(p.bytes())).returnValue();
    }

    /** Runs the packet in the kernel and the VM, which must agree; the probe's return code. */
    int bothCode(Direction d, boolean allow, Packet p) {
        int k = kernel(d, allow, p);
        int v = vm(d, allow, p);
        assertThat(v).as("VM and kernel on %s at %s", p, d).isEqualTo(k);
        return k;
    }

    /** {@link #bothCode}, for a tracked packet whose creation (if any) succeeded. */
    ConntrackResult both(Direction d, boolean allow, Packet p) {
        int code = bothCode(d, allow, p);
        assertThat(code).as("%s at %s is tracked and created", p, d).isLessThan(4);
        return ConntrackResult.of(code);
    }

    /** The VM alone (after its clock moved away from the kernel's). */
    ConntrackResult vmOnly(Direction d, boolean allow, Packet p) {
        int code = vm(d, allow, p);
        assertThat(code).as("%s at %s is tracked and created", p, d).isLessThan(4);
        return ConntrackResult.of(code);
    }

    void advanceVm(long seconds) {
        vmClock.addAndGet(seconds * 1_000_000_000L);
    }

    long vmSeconds() {
        return ConntrackMap.seconds(vmClock.get());
    }

    Map<ConntrackKey, ConntrackValue> kernelEntries() {
        return ConntrackMap.list(kernelMap);
    }

    Map<ConntrackKey, ConntrackValue> vmEntries() {
        return ConntrackMap.list(vmMap);
    }

    /**
     * The kernel's and the VM's maps hold the same connections with the same counters, flags, state
     * and identity; lifetimes, counted from creation, agree within the seconds the kernel's clock
     * ticked since the hooks were made (the VM's clock only moves when the test says).
     */
    void assertSameEntries() {
        long slack = ConntrackMap.seconds(ConntrackMap.kernelNowNanos()) - kernelStart + 1;
        Map<ConntrackKey, ConntrackValue> k = kernelEntries();
        Map<ConntrackKey, ConntrackValue> v = vmEntries();
        assertThat(k.keySet()).isEqualTo(v.keySet());
        for (ConntrackKey key : k.keySet()) {
            ConntrackValue a = k.get(key);
            ConntrackValue b = v.get(key);
            assertThat(relative(a)).as("%s", key).isEqualTo(relative(b));
            assertThat(a.lifetime() - a.created()).as("%s lifetime", key)
                    .isBetween(b.lifetime() - b.created(), b.lifetime() - b.created() + slack);
        }
    }

    private static ConntrackValue relative(ConntrackValue x) {
        return new ConntrackValue(x.txPackets(), x.txBytes(), x.rxPackets(), x.rxBytes(), 0, 0, x.txFlagsSeen(),
                x.rxFlagsSeen(), x.state(), x.sourceIdentity());
    }

    @Override
    public void close() {
        kernel.forEach(Program::close);
        kernelMap.close();
    }
}
