package io.jbpf.core.vm;

/**
 * A BPF helper as the VM runs it: gets r1–r5, returns r0. Register your own with
 * {@link Vm.Builder#helper(int, HelperFunction)} to stand in for a kernel helper the VM lacks, or to
 * observe calls.
 */
@FunctionalInterface
public interface HelperFunction {
    /** Runs the helper; throw a {@link VmException} to stop the program with an error. */
    long call(HelperContext context, long r1, long r2, long r3, long r4, long r5);
}
