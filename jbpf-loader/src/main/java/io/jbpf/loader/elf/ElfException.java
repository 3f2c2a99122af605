package io.jbpf.loader.elf;

import io.jbpf.core.JbpfException;

/** An ELF file that cannot be read: truncated, corrupt, or not what eBPF objects look like. Names the part that is wrong. */
public class ElfException extends JbpfException {
    private static final long serialVersionUID = 1L;

    public ElfException(String message) {
        super(message);
    }
}
