package io.jbpf.core.map;

import io.jbpf.core.btf.Btf;
import io.jbpf.core.btf.BtfKind;
import io.jbpf.core.btf.BtfType;
import io.jbpf.core.prog.Program;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of a {@link MapType#STRUCT_OPS} map, laid out by the kernel's BTF: a kernel struct of
 * function pointers such as {@code tcp_congestion_ops}, wrapped in the kernel's
 * {@code struct bpf_struct_ops_<name>}, whose function pointer members hold the fds of
 * {@link io.jbpf.core.prog.ProgramType#STRUCT_OPS} programs and whose other members hold data
 * (e.g. the congestion control's {@code name}).
 *
 * <pre>{@code
 * StructOpsValue v = StructOpsValue.of(Btf.kernel().orElseThrow(), "tcp_congestion_ops");
 * ProgramSpec ssthresh = ProgramSpec.builder("my_ssthresh", ProgramType.STRUCT_OPS)
 *         .structOpsMember(v.structTypeId(), v.memberIndex("ssthresh")) ... .build();
 * v.program("ssthresh", loadedSsthresh).data("name", "my_cc".getBytes());   // and the other members
 * try (KernelMap map = KernelMap.create(v.mapSpec("my_cc", true))) {
 *     map.update(new byte[4], v.value(), MapFlags.ANY);
 *     StructOpsLink link = StructOpsLink.attach(map);                     // registered until closed
 * }
 * }</pre>
 *
 * <p>Not thread-safe; a value under construction. It keeps program fd numbers, not the programs:
 * they must stay open until the map is written.
 */
public final class StructOpsValue {
    private final Btf kernel;
    private final BtfType.Struct struct;
    private final BtfType.Struct wrapper;
    private final int dataOffset;
    private final Map<String, Integer> programFds = new LinkedHashMap<>();
    private final Map<String, byte[]> data = new LinkedHashMap<>();

    private StructOpsValue(Btf kernel, BtfType.Struct struct, BtfType.Struct wrapper, int dataOffset) {
        this.kernel = kernel;
        this.struct = struct;
        this.wrapper = wrapper;
        this.dataOffset = dataOffset;
    }

    /**
     * The value for kernel struct {@code structName} (e.g. {@code tcp_congestion_ops}) in
     * {@code kernel} BTF.
     *
     * @throws IllegalArgumentException when the kernel has no such struct or does not offer it as
     *         struct_ops (no {@code struct bpf_struct_ops_<name>})
     */
    public static StructOpsValue of(Btf kernel, String structName) {
        BtfType.Struct s = kernel.find(BtfKind.STRUCT, structName).map(BtfType.Struct.class::cast)
                .orElseThrow(() -> new IllegalArgumentException("the kernel's BTF has no struct " + structName));
        BtfType.Struct w = kernel.find(BtfKind.STRUCT, "bpf_struct_ops_" + structName).map(BtfType.Struct.class::cast)
                .orElseThrow(() -> new IllegalArgumentException("the kernel does not offer struct " + structName
                        + " as struct_ops (its BTF has no struct bpf_struct_ops_" + structName + ")"));
        int offset = -1;
        for (BtfType.Member m : w.members()) {
            if (kernel.resolve(m.type()).id() == s.id()) {
                offset = m.bitOffset() / 8;
            }
        }
        if (offset < 0) {
            throw new IllegalArgumentException("struct bpf_struct_ops_" + structName + " holds no struct " + structName);
        }
        return new StructOpsValue(kernel, s, w, offset);
    }

    /** The kernel struct's BTF id: the attach BTF id of its programs. */
    public int structTypeId() {
        return struct.id();
    }

    /** The wrapper's BTF id: the map's kernel value type. */
    public int valueTypeId() {
        return wrapper.id();
    }

    /** The kernel struct's name. */
    public String structName() {
        return struct.name();
    }

    /** The kernel struct's members, by name, in order. */
    public List<String> members() {
        List<String> names = new ArrayList<>();
        struct.members().forEach(m -> names.add(m.name()));
        return names;
    }

    /** The index of {@code member}: a program implementing it is loaded with this as its expected attach type. */
    public int memberIndex(String member) {
        List<String> names = members();
        int i = names.indexOf(member);
        if (i < 0) {
            throw new IllegalArgumentException("struct " + struct.name() + " has no member '" + member + "'; it has "
                    + names);
        }
        return i;
    }

    /** Whether {@code member} is a function pointer (implemented by a program) rather than data. */
    public boolean isFunction(String member) {
        BtfType t = kernel.resolve(member(member).type());
        return t instanceof BtfType.Ptr p && kernel.resolve(p.type()) instanceof BtfType.FuncProto;
    }

    /** Byte size of data member {@code member}. */
    public int memberSize(String member) {
        return (int) kernel.sizeOf(member(member).type());
    }

    /** Sets function pointer {@code member} to {@code program} (a loaded STRUCT_OPS program). */
    public StructOpsValue program(String member, Program program) {
        if (!isFunction(member)) {
            throw new IllegalArgumentException("member '" + member + "' of struct " + struct.name()
                    + " is data, not a function pointer");
        }
        programFds.put(member, program.fd());
        return this;
    }

    /** Sets data member {@code member} to {@code bytes} (at most its size; the rest stays zero). */
    public StructOpsValue data(String member, byte[] bytes) {
        if (isFunction(member)) {
            throw new IllegalArgumentException("member '" + member + "' of struct " + struct.name()
                    + " is a function pointer: give it a program");
        }
        int size = memberSize(member);
        if (bytes.length > size) {
            throw new IllegalArgumentException("member '" + member + "' of struct " + struct.name() + " is " + size
                    + " bytes, not " + bytes.length);
        }
        data.put(member, bytes.clone());
        return this;
    }

    /** A spec for the map: key 4 bytes, one entry, the wrapper as kernel value type; {@code link} adds {@link MapFlags#LINK}. */
    public MapSpec mapSpec(String name, boolean link) {
        return MapSpec.of(name, MapType.STRUCT_OPS, 4, wrapper.size(), 1).withFlags(link ? MapFlags.LINK : 0)
                .withKernelValueType(wrapper.id());
    }

    /** The value to write at key 0: data members and program fds at the kernel's offsets. */
    public byte[] value() {
        ByteBuffer b = ByteBuffer.allocate(wrapper.size()).order(ByteOrder.nativeOrder());
        data.forEach((name, bytes) -> b.put(dataOffset + member(name).bitOffset() / 8, bytes));
        programFds.forEach((name, fd) -> b.putLong(dataOffset + member(name).bitOffset() / 8, fd));
        return b.array();
    }

    private BtfType.Member member(String name) {
        return struct.members().get(memberIndex(name));
    }
}
