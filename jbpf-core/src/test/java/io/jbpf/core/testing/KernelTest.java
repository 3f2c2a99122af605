package io.jbpf.core.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test class that needs the kernel's bpf(). Without a usable bpf() the class is skipped,
 * or fails when {@code JBPF_REQUIRE_KERNEL=1}. A missing feature
 * ({@link io.jbpf.core.features.UnsupportedFeatureException}) skips that test, naming the feature.
 * The class fails if it leaks fds, or jbpf-named network namespaces, links or pins.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("kernel")
@ExtendWith({KernelExtension.class, LeakGuard.class})
public @interface KernelTest {
}
