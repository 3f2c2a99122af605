package io.jbpf.test.internal;

import io.jbpf.core.features.UnsupportedFeatureException;
import io.jbpf.core.prog.ProgramSpec;
import io.jbpf.test.BpfEngine;
import io.jbpf.test.BpfProgramUnderTest;
import io.jbpf.test.BpfTest;
import io.jbpf.test.EngineUnavailableException;
import io.jbpf.test.TestProgram;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/** The extension behind {@link BpfTest}. Not API: use the annotation. */
public final class BpfTestExtension implements TestTemplateInvocationContextProvider {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(BpfTestExtension.class);

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getTestMethod().map(m -> AnnotationSupport.isAnnotated(m, BpfTest.class)).orElse(false);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        BpfTest a = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), BpfTest.class).orElseThrow();
        Set<BpfEngine> engines = new LinkedHashSet<>(List.of(a.engines()));
        if (engines.isEmpty()) {
            throw new ExtensionConfigurationException("@BpfTest on " + context.getRequiredTestMethod().getName()
                    + " names no engines");
        }
        return engines.stream().map(e -> new Invocation(e, a.program()));
    }

    private record Invocation(BpfEngine engine, String program) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return engine.displayName();
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(new OnEngine(engine, program));
        }
    }

    /** Loads the program before each invocation, resolves it as a parameter, closes it after. */
    private static final class OnEngine implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
        private final BpfEngine engine;
        private final String program;

        OnEngine(BpfEngine engine, String program) {
            this.engine = engine;
            this.program = program;
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            TestProgram tp = ProgramSource.resolve(program, context);
            context.getStore(NS).put(TestProgram.class, tp);
            BpfProgramUnderTest p;
            try {
                p = BpfProgramUnderTest.load(tp, engine);
            } catch (EngineUnavailableException e) {
                if (e.engine() == BpfEngine.KERNEL && KernelAccess.required()) {
                    throw new AssertionError("JBPF_REQUIRE_KERNEL=1 but the kernel cannot run '" + tp.name() + "': "
                            + e.reason(), e);
                }
                throw new TestAbortedException("skipped on " + engine.displayName() + ": " + e.getMessage(), e);
            } catch (UnsupportedFeatureException e) {
                throw new TestAbortedException("skipped on " + engine.displayName() + ", this kernel lacks a feature: "
                        + e.getMessage(), e);
            }
            context.getStore(NS).put(BpfProgramUnderTest.class, p);
        }

        @Override
        public void afterEach(ExtensionContext context) {
            BpfProgramUnderTest p = context.getStore(NS).remove(BpfProgramUnderTest.class, BpfProgramUnderTest.class);
            if (p != null) {
                p.close();
            }
        }

        @Override
        public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
            Class<?> t = pc.getParameter().getType();
            return t == BpfProgramUnderTest.class || t == BpfEngine.class || t == TestProgram.class;
        }

        @Override
        public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
            Class<?> t = pc.getParameter().getType();
            if (t == BpfEngine.class) {
                return engine;
            }
            Object o = ec.getStore(NS).get(t);
            if (o == null) {
                throw new ExtensionConfigurationException(t.getSimpleName() + " is only available to @BeforeEach, "
                        + "@AfterEach and @BpfTest methods, not to " + pc.getDeclaringExecutable());
            }
            return o;
        }
    }

    /** Finds the program a {@link BpfTest} names. */
    static final class ProgramSource {
        private ProgramSource() {}

        static TestProgram resolve(String name, ExtensionContext context) {
            Class<?> testClass = context.getRequiredTestClass();
            Object instance = context.getTestInstance().orElse(null);
            if (name.contains("#")) {
                String cls = name.substring(0, name.indexOf('#'));
                Class<?> c;
                try {
                    c = Class.forName(cls, true, testClass.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new ExtensionConfigurationException("@BpfTest(program = \"" + name + "\"): no class " + cls, e);
                }
                return find(c, name.substring(name.indexOf('#') + 1), null, name);
            }
            List<Class<?>> scopes = new ArrayList<>();
            for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
                scopes.add(c);
            }
            if (name.isEmpty()) {
                List<Member> all = new ArrayList<>();
                for (Class<?> c : scopes) {
                    all.addAll(candidates(c, null));
                }
                if (all.size() != 1) {
                    throw new ExtensionConfigurationException("@BpfTest without program = \"...\" needs exactly one "
                            + "method without parameters or field of type TestProgram or ProgramSpec in "
                            + testClass.getName() + ", found " + all.stream().map(Member::getName).toList());
                }
                return value(all.get(0), instance, testClass);
            }
            for (Class<?> c : scopes) {
                if (!candidates(c, name).isEmpty()) {
                    return find(c, name, c == testClass ? instance : null, name);
                }
            }
            throw new ExtensionConfigurationException("@BpfTest(program = \"" + name + "\"): " + testClass.getName()
                    + " has no method without parameters or field named '" + name
                    + "' of type TestProgram or ProgramSpec");
        }

        private static TestProgram find(Class<?> c, String member, Object instance, String name) {
            List<Member> found = candidates(c, member);
            if (found.isEmpty()) {
                throw new ExtensionConfigurationException("@BpfTest(program = \"" + name + "\"): " + c.getName()
                        + " has no method without parameters or field named '" + member
                        + "' of type TestProgram or ProgramSpec");
            }
            return value(found.get(0), instance, c);
        }

        private static List<Member> candidates(Class<?> c, String name) {
            List<Member> out = new ArrayList<>();
            for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
                for (Method m : k.getDeclaredMethods()) {
                    if ((name == null || m.getName().equals(name)) && m.getParameterCount() == 0 && !m.isSynthetic()
                            && programType(m.getReturnType())) {
                        out.add(m);
                    }
                }
                for (Field f : k.getDeclaredFields()) {
                    if ((name == null || f.getName().equals(name)) && !f.isSynthetic() && programType(f.getType())) {
                        out.add(f);
                    }
                }
            }
            return out;
        }

        private static boolean programType(Class<?> t) {
            return t == TestProgram.class || t == ProgramSpec.class;
        }

        private static TestProgram value(Member m, Object instance, Class<?> owner) {
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            if (!isStatic && (instance == null || !m.getDeclaringClass().isInstance(instance))) {
                throw new ExtensionConfigurationException("@BpfTest program '" + m.getName() + "' of "
                        + owner.getName() + " must be static");
            }
            Object target = isStatic ? null : instance;
            Object v;
            try {
                if (m instanceof Method method) {
                    method.setAccessible(true);
                    v = method.invoke(target);
                } else {
                    Field f = (Field) m;
                    f.setAccessible(true);
                    v = f.get(target);
                }
            } catch (java.lang.reflect.InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new ExtensionConfigurationException("@BpfTest program '" + m.getName() + "' failed", cause);
            } catch (IllegalAccessException e) {
                throw new ExtensionConfigurationException("@BpfTest program '" + m.getName() + "' is not accessible", e);
            }
            if (v == null) {
                throw new ExtensionConfigurationException("@BpfTest program '" + m.getName() + "' of "
                        + owner.getName() + " is null");
            }
            return v instanceof ProgramSpec s ? TestProgram.of(s) : (TestProgram) v;
        }
    }
}
