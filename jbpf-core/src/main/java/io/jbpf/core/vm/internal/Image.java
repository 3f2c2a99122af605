package io.jbpf.core.vm.internal;

import io.jbpf.core.map.MemoryMap;
import java.util.List;

/**
 * A program made ready for the VM: its checked code, its map table (lddw map references give an
 * index into it), and the engine's executor.
 */
public final class Image {
    public final String name;
    public final Code code;
    public final MemoryMap[] maps;
    public final String[] mapNames;
    private Executor executor;

    public Image(String name, Code code, List<? extends MemoryMap> maps, List<String> mapNames) {
        this.name = name;
        this.code = code;
        this.maps = maps.toArray(new MemoryMap[0]);
        this.mapNames = mapNames.toArray(new String[0]);
        for (int pc = 0; pc < code.length; pc++) {
            if (code.op[pc] == 0x18) {
                int src = code.src[pc];
                if (src == 1 || src == 2 || src == 5 || src == 6) {
                    int idx = code.imm[pc];
                    if (idx < 0 || idx >= this.maps.length) {
                        throw new io.jbpf.core.vm.IllegalInstructionException(pc, "map reference " + idx
                                + " names no map: the program was given " + this.maps.length);
                    }
                }
                pc++;
            }
        }
    }

    public Executor executor() {
        return executor;
    }

    public void executor(Executor e) {
        this.executor = e;
    }
}
