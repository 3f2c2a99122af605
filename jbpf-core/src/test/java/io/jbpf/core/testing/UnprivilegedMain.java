package io.jbpf.core.testing;

import io.jbpf.core.BpfException;
import io.jbpf.core.map.KernelMap;
import io.jbpf.core.map.MapSpec;
import io.jbpf.core.map.MapType;

/** Run by {@code UnprivilegedTest} as user nobody: tries to create a map and prints what happened. */
public final class UnprivilegedMain {
    private UnprivilegedMain() {}

    public static void main(String[] args) {
        try (KernelMap m = KernelMap.create(MapSpec.of("jbpf_unpriv", MapType.ARRAY, 4, 4, 1))) {
            System.out.println("CREATED " + m.id());
        } catch (BpfException e) {
            System.out.println("REFUSED " + e.errno() + " " + e.getMessage());
        }
    }
}
