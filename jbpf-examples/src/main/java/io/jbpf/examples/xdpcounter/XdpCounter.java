package io.jbpf.examples.xdpcounter;

import static io.jbpf.core.insn.Reg.R0;
import static io.jbpf.core.insn.Reg.R1;
import static io.jbpf.core.insn.Reg.R2;
import static io.jbpf.core.insn.Reg.R10;

import io.jbpf.core.asm.Assembler;
import io.jbpf.core.insn.Helper;
import io.jbpf.core.insn.Size;
import io.jbpf.core.link.XdpLink;
import io.jbpf.core.link.XdpMode;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.netns.NetNamespace;
import io.jbpf.core.prog.Program;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.core.prog.ProgramType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;

/**
 * The demo: an XDP program that counts every packet arriving on one end of a veth pair between two
 * new network namespaces. It pings across, then reads the count from the program's map.
 *
 * <p>Run it as root: {@code ./demo.sh}.
 */
public final class XdpCounter {
    private XdpCounter() {}

    /** XDP: add one to element 0 of the array map {@code packets}, then let the packet pass. */
    static ProgramSpec program() {
        return ProgramSpec.builder("xdp_counter", ProgramType.XDP).instructions(new Assembler()
                .store(Size.W, R10, -4, 0)          // u32 key = 0
                .mov(R2, R10)
                .add(R2, -4)                        // r2 = &key
                .ldMap(R1, "packets")               // r1 = the map, resolved at load
                .call(Helper.ofName("map_lookup_elem"))
                .jeq(R0, 0, "pass")                 // the verifier insists on the NULL check
                .mov(R1, 1)
                .atomicAdd(Size.DW, R0, 0, R1)      // *value += 1, atomically
                .label("pass")
                .mov(R0, 2)                         // XDP_PASS
                .exit()
                .build()).build();
    }

    /** What one run saw. */
    record Result(int pingsAnswered, long packetsCounted) {
    }

    /** Sets up the lab, counts while pinging {@code pings} times, and tears everything down. */
    static Result run(int pings) {
        String tag = "demo" + ProcessHandle.current().pid();
        try (VethLab lab = VethLab.create(tag);
                KernelMap packets = KernelMap.create(MapSpec.of("packets", MapType.ARRAY, 4, 8, 1));
                Program prog = Program.load(program(), Map.of("packets", packets));
                NetNamespace nsB = NetNamespace.open(lab.nsB);
                XdpLink link = nsB.run(() -> XdpLink.attach(prog, lab.ifB, XdpMode.DEFAULT))) {
            System.out.printf("Attached XDP program '%s' (id %d) to %s in namespace %s%n", prog.name(), prog.id(),
                    lab.ifB, lab.nsB);
            int answered = lab.pingBFromA(pings);
            byte[] value = new byte[8];
            packets.lookup(new byte[4], value);
            long count = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
            return new Result(answered, count);
        }
    }

    public static void main(String[] args) {
        int pings = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Result r = run(pings);
        System.out.printf("ping %d times from one namespace to the other: %d answered%n", pings, r.pingsAnswered());
        System.out.printf("the XDP program counted %d packets arriving%n", r.packetsCounted());
        if (r.packetsCounted() < pings) {
            System.err.println("fewer packets counted than pings sent: the program did not see the traffic");
            System.exit(1);
        }
    }
}
