package io.jbpf.examples.skeleton;

import java.nio.file.Path;

/**
 * Loads native/testdata/elf/relocs.bpf.c (build it with {@code make -C native}) through its
 * skeleton, {@link RelocsSkeleton}, which jbpf-maven-plugin's {@code generate-skeleton} goal
 * generates from native/build/relocs.bpf.o at every build (see this module's pom.xml; the same class
 * as {@code ./jbpf gen skeleton native/build/relocs.bpf.o --package io.jbpf.examples.skeleton
 * --class RelocsSkeleton}), with its read-only {@code limit}
 * set before load, runs its XDP program a few times and prints what its maps and globals hold.
 *
 * <p>Run as root: {@code java -cp jbpf-examples/target/jbpf-examples.jar
 * io.jbpf.examples.skeleton.SkeletonExample native/build/relocs.bpf.o}
 */
public final class SkeletonExample {
    private SkeletonExample() {}

    /** What one run saw. */
    record Result(int[] verdicts, long packets, long dropped, long bumped) {
    }

    static Result run(Path object, int limit, int runs) {
        try (RelocsSkeleton skel = RelocsSkeleton.load(RelocsSkeleton.withLimit(RelocsSkeleton.open(object), limit))) {
            int[] verdicts = new int[runs];
            for (int i = 0; i < runs; i++) {
                verdicts[i] = skel.countXdp().testRun(io.jbpf.core.prog.TestRun.withData(new byte[64])).returnValue();
            }
            return new Result(verdicts, skel.packets(), skel.dropped(), skel.counts().get(0));
        }
    }

    public static void main(String[] args) {
        Result r = run(Path.of(args.length > 0 ? args[0] : "native/build/relocs.bpf.o"), 3, 5);
        System.out.printf("verdicts %s; packets %d, dropped %d, counts[0] %d%n", java.util.Arrays.toString(r.verdicts()),
                r.packets(), r.dropped(), r.bumped());
    }
}
