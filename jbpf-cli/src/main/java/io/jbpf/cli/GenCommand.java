package io.jbpf.cli;

import io.jbpf.loader.ObjectSpec;
import io.jbpf.loader.skeleton.SkeletonGenerator;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code jbpf gen skeleton FILE}: the Java source of a typed class for an object, like {@code bpftool gen skeleton}. */
@Command(name = "gen", description = "Generate code.", subcommands = GenCommand.Skeleton.class)
final class GenCommand {
    private GenCommand() {}

    @Command(name = "skeleton", description = "Print a typed Java class for an object file's programs, maps and variables.")
    static final class Skeleton implements Runnable {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The object file.")
        Path file;

        @Option(names = "--package", required = true, description = "The Java package.")
        String packageName;

        @Option(names = "--class", required = true, description = "The class name.")
        String className;

        @Override
        public void run() {
            PrintWriter w = spec.commandLine().getOut();
            w.print(SkeletonGenerator.generate(ObjectSpec.open(file), packageName, className, file.getFileName().toString()));
            w.flush();
        }
    }
}
