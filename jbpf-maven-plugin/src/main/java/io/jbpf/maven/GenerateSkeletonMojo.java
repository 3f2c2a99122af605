package io.jbpf.maven;

import io.jbpf.loader.LoaderException;
import io.jbpf.loader.ObjectSpec;
import io.jbpf.loader.skeleton.SkeletonGenerator;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * {@code jbpf:generate-skeleton}: generates the typed Java class of a BPF object file (its
 * programs, its maps as typed maps with codecs from BTF, its global variables) with
 * {@link SkeletonGenerator}, as {@code bpftool gen skeleton} and bpf2go do, into
 * {@code target/generated-sources/jbpf}, and adds that folder to the sources to compile. The class
 * is written only when its text changes, so builds stay incremental.
 */
@Mojo(name = "generate-skeleton", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public final class GenerateSkeletonMojo extends AbstractMojo {
    /** The object file clang built ({@code clang -O2 -g -target bpf}). */
    @Parameter(required = true)
    private File object;

    /** The package of the generated class. */
    @Parameter(required = true)
    private String packageName;

    /** The simple name of the generated class. */
    @Parameter(required = true)
    private String className;

    /** The object's name in the class's Javadoc; the file name of {@link #object} by default. */
    @Parameter
    private String objectName;

    /** Where generated sources go. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/jbpf", required = true)
    private File outputDirectory;

    /** Skips generation (and adds no source folder). */
    @Parameter(property = "jbpf.skeleton.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("jbpf: skeleton generation skipped");
            return;
        }
        if (!object.isFile()) {
            throw new MojoExecutionException("BPF object " + object + " does not exist; build it first (make -C native)");
        }
        String source;
        try {
            source = SkeletonGenerator.generate(ObjectSpec.open(object.toPath()), packageName, className,
                    objectName != null ? objectName : object.getName());
        } catch (LoaderException | io.jbpf.core.btf.BtfException | io.jbpf.loader.elf.ElfException e) {
            throw new MojoExecutionException("cannot generate a skeleton of " + object + ": " + e.getMessage(), e);
        }
        Path file = outputDirectory.toPath().resolve(packageName.replace('.', File.separatorChar))
                .resolve(className + ".java");
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(source)) {
                Files.writeString(file, source, StandardCharsets.UTF_8);
                getLog().info("jbpf: generated " + file + " from " + object);
            }
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + file, e);
        }
        project.addCompileSourceRoot(outputDirectory.getPath());
    }
}
