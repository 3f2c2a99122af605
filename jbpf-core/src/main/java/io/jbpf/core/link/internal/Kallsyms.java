package io.jbpf.core.link.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Looks names up in {@code /proc/kallsyms}, to say which kernel symbol a probe could not find. */
public final class Kallsyms {
    private Kallsyms() {}

    /** Whether the kernel has a symbol {@code name} (modules' symbols included); true if it cannot tell. */
    public static boolean has(String name) {
        try (BufferedReader r = Files.newBufferedReader(Path.of("/proc/kallsyms"))) {
            String line;
            while ((line = r.readLine()) != null) {
                int a = line.indexOf(' ', line.indexOf(' ') + 1);
                if (a < 0) {
                    continue;
                }
                int end = line.indexOf('\t', a + 1);
                String sym = end < 0 ? line.substring(a + 1) : line.substring(a + 1, end);
                if (sym.equals(name)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
