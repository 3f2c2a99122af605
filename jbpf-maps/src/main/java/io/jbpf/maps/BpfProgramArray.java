package io.jbpf.maps;

import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;
import io.jbpf.core.prog.Program;
import io.jbpf.maps.internal.Binding;

/**
 * A {@code BPF_MAP_TYPE_PROG_ARRAY}: the jump table of {@code bpf_tail_call}. A slot holds a program
 * (of the same type as the caller); reading a slot gives the program's id. The kernel empties
 * every slot when the last user-space reference to the map is closed.
 */
public final class BpfProgramArray extends FdSlotMap<Integer> {

    private BpfProgramArray(KernelMap map, boolean owner) {
        super(map, owner, indexCodec());
    }

    /** Creates a program array of {@code length} slots. */
    public static BpfProgramArray create(String name, int length) {
        return create(MapSpec.of(name, MapType.PROG_ARRAY, 4, 4, length));
    }

    /** Creates the program array {@code spec} describes. */
    public static BpfProgramArray create(MapSpec spec) {
        KernelMap map = Binding.create(spec, "BpfProgramArray", 4, 4, MapType.PROG_ARRAY);
        return Binding.adopt(map, m -> new BpfProgramArray(m, true));
    }

    /** A view of {@code map}, which stays open when the view is closed. */
    public static BpfProgramArray of(KernelMap map) {
        Binding.check(map.spec(), "BpfProgramArray", 4, 4, MapType.PROG_ARRAY);
        return new BpfProgramArray(map, false);
    }

    /**
     * Puts {@code program} in slot {@code index}.
     *
     * @throws io.jbpf.core.BpfException EINVAL when the program's type differs from the programs that
     *         use this table, E2BIG when {@code index} is out of range
     */
    public void set(int index, Program program) {
        setFd(index, program.fd());
    }
}
