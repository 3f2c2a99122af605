package io.jbpf.core.link;

import io.jbpf.core.BpfException;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.link.internal.LinkFds;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapFlags;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.AttachType;

/**
 * A {@link MapType#STRUCT_OPS} map registered with the kernel through a {@code bpf_link}
 * ({@code BPF_LINK_CREATE} with attach type {@code BPF_STRUCT_OPS}, Linux 6.4): the kernel
 * subsystem (e.g. TCP congestion control for {@code tcp_congestion_ops}) uses the map's programs
 * until the link is closed. The map must have been created with {@link MapFlags#LINK} and its value
 * (the struct, with the programs' fds in its function pointer members) written at key 0.
 */
public final class StructOpsLink extends BpfLink {
    private final String map;

    private StructOpsLink(Fd fd, String map) {
        super(fd);
        this.map = map;
    }

    /** Registers the struct in {@code map} (a STRUCT_OPS map created with {@link MapFlags#LINK}, value written). */
    public static StructOpsLink attach(KernelMap map) {
        if (map.spec().type() != MapType.STRUCT_OPS) {
            throw new IllegalArgumentException("map '" + map.spec().name() + "' is a " + map.spec().type()
                    + " map, not STRUCT_OPS");
        }
        String what = "register struct_ops map '" + map.spec().name() + "'";
        try {
            return new StructOpsLink(LinkFds.create(map.fd(), 0, AttachType.STRUCT_OPS, 0, null, "struct_ops links",
                    false, what), map.spec().name());
        } catch (BpfException e) {
            throw new AttachException(e, switch (e.errno()) {
                case EINVAL -> (map.spec().flags() & MapFlags.LINK) == 0
                        ? "the map was not created with MapFlags.LINK (SEC(\".struct_ops.link\"))"
                        : "the struct's value is incomplete (a required member without a program?)";
                case EEXIST, EBUSY -> "a struct of that name is registered already (e.g. a congestion control name)";
                default -> "";
            });
        }
    }

    /** The name of the registered map. */
    public String mapName() {
        return map;
    }
}
