package io.jbpf.maps.internal;

import static org.objectweb.asm.Opcodes.AALOAD;
import static org.objectweb.asm.Opcodes.ACC_FINAL;
import static org.objectweb.asm.Opcodes.ACC_PUBLIC;
import static org.objectweb.asm.Opcodes.ACC_SUPER;
import static org.objectweb.asm.Opcodes.ALOAD;
import static org.objectweb.asm.Opcodes.ARETURN;
import static org.objectweb.asm.Opcodes.ASTORE;
import static org.objectweb.asm.Opcodes.CHECKCAST;
import static org.objectweb.asm.Opcodes.DUP;
import static org.objectweb.asm.Opcodes.GETFIELD;
import static org.objectweb.asm.Opcodes.I2B;
import static org.objectweb.asm.Opcodes.I2C;
import static org.objectweb.asm.Opcodes.I2L;
import static org.objectweb.asm.Opcodes.I2S;
import static org.objectweb.asm.Opcodes.IADD;
import static org.objectweb.asm.Opcodes.ICONST_0;
import static org.objectweb.asm.Opcodes.ICONST_1;
import static org.objectweb.asm.Opcodes.ILOAD;
import static org.objectweb.asm.Opcodes.INVOKEINTERFACE;
import static org.objectweb.asm.Opcodes.INVOKESPECIAL;
import static org.objectweb.asm.Opcodes.INVOKESTATIC;
import static org.objectweb.asm.Opcodes.INVOKEVIRTUAL;
import static org.objectweb.asm.Opcodes.L2I;
import static org.objectweb.asm.Opcodes.NEW;
import static org.objectweb.asm.Opcodes.RETURN;
import static org.objectweb.asm.Opcodes.V17;

import io.jbpf.maps.codec.Codec;
import io.jbpf.maps.codec.LayoutException;
import io.jbpf.maps.codec.RecordCodec;
import io.jbpf.maps.codec.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Generates, for one record, a hidden class extending {@link RecordCodec} whose {@code encode} calls
 * the accessors and writes each field at its constant offset, and whose {@code decode} reads each
 * field and calls the canonical constructor: straight-line code, no reflection, no boxing, no
 * allocation besides the record (and its arrays / nested values).
 */
public final class RecordCodecGenerator {
    private RecordCodecGenerator() {}

    private static final String BYTES = Type.getInternalName(Bytes.class);
    private static final String CODEC = Type.getInternalName(Codec.class);
    private static final String SUPER = Type.getInternalName(RecordCodec.class);
    private static final String CODECS_DESC = "[L" + CODEC + ";";
    private static final String CTOR_DESC = "(Ljava/lang/Class;" + Type.getDescriptor(StructLayout.class) + CODECS_DESC + ")V";

    /** A codec for {@code type}, defined with {@code lookup} (which must have full privilege in the record's package). */
    public static <R extends Record> RecordCodec<R> generate(Class<R> type, MethodHandles.Lookup lookup) {
        LayoutPlanner.Plan plan = LayoutPlanner.plan(type);
        List<FieldPlan> fields = plan.fields();
        Codec<?>[] codecs = new Codec<?>[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
            codecs[i] = fields.get(i).codec();
        }
        byte[] bytes = classBytes(type, plan);
        try {
            MethodHandles.Lookup defined = lookup.defineHiddenClass(bytes, true);
            MethodHandle ctor = defined.findConstructor(defined.lookupClass(),
                    MethodType.methodType(void.class, Class.class, StructLayout.class, Codec[].class));
            @SuppressWarnings("unchecked")
            RecordCodec<R> codec = (RecordCodec<R>) ctor.invoke(type, plan.layout(), codecs);
            return codec;
        } catch (IllegalAccessException e) {
            throw new LayoutException("cannot define a codec class next to " + type.getName()
                    + ": pass a Lookup from the record's package, RecordCodec.of(type, MethodHandles.lookup())", e);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new LayoutException("cannot instantiate the codec of " + type.getName(), e);
        }
    }

    private static byte[] classBytes(Class<?> type, LayoutPlanner.Plan plan) {
        String rec = Type.getInternalName(type);
        String name = rec + "$JbpfCodec";
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(V17, ACC_PUBLIC | ACC_FINAL | ACC_SUPER, name, null, SUPER, null);

        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", CTOR_DESC, null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitVarInsn(ALOAD, 1);
        init.visitVarInsn(ALOAD, 2);
        init.visitVarInsn(ALOAD, 3);
        init.visitMethodInsn(INVOKESPECIAL, SUPER, "<init>", CTOR_DESC, false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        encode(cw, rec, plan);
        decode(cw, rec, plan);
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void at(MethodVisitor mv, int bufSlot, int offSlot, int offset) {
        mv.visitVarInsn(ALOAD, bufSlot);
        mv.visitVarInsn(ILOAD, offSlot);
        mv.visitLdcInsn(offset);
        mv.visitInsn(IADD);
    }

    private static void zero(MethodVisitor mv, int from, int to) {
        if (to > from) {
            at(mv, 2, 3, from);
            mv.visitLdcInsn(to - from);
            mv.visitMethodInsn(INVOKESTATIC, BYTES, "zero", "([BII)V", false);
        }
    }

    private static String suffix(FieldPlan f) {
        return f.width() + (f.bigEndian() && f.width() > 1 ? "be" : "");
    }

    private static void encode(ClassWriter cw, String rec, LayoutPlanner.Plan plan) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "encode", "(Ljava/lang/Object;[BI)V", null, null);
        mv.visitCode();
        mv.visitVarInsn(ALOAD, 1);
        mv.visitTypeInsn(CHECKCAST, rec);
        mv.visitVarInsn(ASTORE, 4);
        int cur = 0;
        List<FieldPlan> fields = plan.fields();
        for (int i = 0; i < fields.size(); i++) {
            FieldPlan f = fields.get(i);
            zero(mv, cur, f.offset());
            String getter = Type.getMethodDescriptor(f.accessor());
            String label = plan.layout().name() + "." + f.name();
            switch (f.kind()) {
                case INT, BOOL, FLOAT, DOUBLE -> {
                    at(mv, 2, 3, f.offset());
                    mv.visitVarInsn(ALOAD, 4);
                    mv.visitMethodInsn(INVOKEVIRTUAL, rec, f.accessor().getName(), getter, false);
                    if (f.kind() == FieldPlan.Kind.FLOAT) {
                        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "floatToRawIntBits", "(F)I", false);
                    } else if (f.kind() == FieldPlan.Kind.DOUBLE) {
                        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "doubleToRawLongBits", "(D)J", false);
                    }
                    if (f.type() != long.class && f.type() != double.class) {
                        mv.visitInsn(I2L);
                    }
                    mv.visitLdcInsn(label);
                    mv.visitMethodInsn(INVOKESTATIC, BYTES, "put" + suffix(f), "([BIJLjava/lang/String;)V", false);
                }
                case ARRAY -> {
                    at(mv, 2, 3, f.offset());
                    mv.visitVarInsn(ALOAD, 4);
                    mv.visitMethodInsn(INVOKEVIRTUAL, rec, f.accessor().getName(), getter, false);
                    mv.visitLdcInsn(f.length());
                    String arr = Type.getDescriptor(f.type());
                    if (f.width() == 1) {
                        mv.visitLdcInsn(label);
                        mv.visitMethodInsn(INVOKESTATIC, BYTES, "putBytes", "([BI[BILjava/lang/String;)V", false);
                    } else {
                        mv.visitInsn(f.bigEndian() ? ICONST_1 : ICONST_0);
                        mv.visitLdcInsn(label);
                        mv.visitMethodInsn(INVOKESTATIC, BYTES, "put" + arrayName(f), "([BI" + arr + "IZLjava/lang/String;)V", false);
                    }
                }
                case CODEC -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitFieldInsn(GETFIELD, SUPER, "codecs", CODECS_DESC);
                    mv.visitLdcInsn(i);
                    mv.visitInsn(AALOAD);
                    mv.visitVarInsn(ALOAD, 4);
                    mv.visitMethodInsn(INVOKEVIRTUAL, rec, f.accessor().getName(), getter, false);
                    at(mv, 2, 3, f.offset());
                    mv.visitMethodInsn(INVOKEINTERFACE, CODEC, "encode", "(Ljava/lang/Object;[BI)V", true);
                }
                default -> throw new IllegalStateException(f.kind().toString());
            }
            zero(mv, f.offset() + f.covered(), f.offset() + f.slot());
            cur = f.offset() + f.slot();
        }
        zero(mv, cur, plan.layout().size());
        mv.visitInsn(RETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }

    private static String arrayName(FieldPlan f) {
        return switch (f.width()) {
            case 2 -> "Shorts";
            case 4 -> "Ints";
            case 8 -> "Longs";
            default -> throw new IllegalStateException("array width " + f.width());
        };
    }

    private static void decode(ClassWriter cw, String rec, LayoutPlanner.Plan plan) {
        MethodVisitor mv = cw.visitMethod(ACC_PUBLIC, "decode", "([BI)Ljava/lang/Object;", null, null);
        mv.visitCode();
        mv.visitTypeInsn(NEW, rec);
        mv.visitInsn(DUP);
        StringBuilder ctor = new StringBuilder("(");
        List<FieldPlan> fields = plan.fields();
        for (int i = 0; i < fields.size(); i++) {
            FieldPlan f = fields.get(i);
            ctor.append(Type.getDescriptor(f.type()));
            switch (f.kind()) {
                case INT, BOOL, FLOAT, DOUBLE -> {
                    at(mv, 1, 2, f.offset());
                    mv.visitMethodInsn(INVOKESTATIC, BYTES, "get" + suffix(f), "([BI)J", false);
                    Class<?> t = f.type();
                    if (t == boolean.class) {
                        mv.visitMethodInsn(INVOKESTATIC, BYTES, "bool", "(J)Z", false);
                    } else if (t == double.class) {
                        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Double", "longBitsToDouble", "(J)D", false);
                    } else if (t != long.class) {
                        mv.visitInsn(L2I);
                        if (t == float.class) {
                            mv.visitMethodInsn(INVOKESTATIC, "java/lang/Float", "intBitsToFloat", "(I)F", false);
                        } else if (t == short.class) {
                            mv.visitInsn(I2S);
                        } else if (t == byte.class) {
                            mv.visitInsn(I2B);
                        } else if (t == char.class) {
                            mv.visitInsn(I2C);
                        }
                    }
                }
                case ARRAY -> {
                    at(mv, 1, 2, f.offset());
                    mv.visitLdcInsn(f.length());
                    String arr = Type.getDescriptor(f.type());
                    if (f.width() == 1) {
                        mv.visitMethodInsn(INVOKESTATIC, BYTES, "getBytes", "([BII)[B", false);
                    } else {
                        mv.visitInsn(f.bigEndian() ? ICONST_1 : ICONST_0);
                        mv.visitMethodInsn(INVOKESTATIC, BYTES, "get" + arrayName(f), "([BIIZ)" + arr, false);
                    }
                }
                case CODEC -> {
                    mv.visitVarInsn(ALOAD, 0);
                    mv.visitFieldInsn(GETFIELD, SUPER, "codecs", CODECS_DESC);
                    mv.visitLdcInsn(i);
                    mv.visitInsn(AALOAD);
                    at(mv, 1, 2, f.offset());
                    mv.visitMethodInsn(INVOKEINTERFACE, CODEC, "decode", "([BI)Ljava/lang/Object;", true);
                    mv.visitTypeInsn(CHECKCAST, Type.getInternalName(f.type()));
                }
                default -> throw new IllegalStateException(f.kind().toString());
            }
        }
        mv.visitMethodInsn(INVOKESPECIAL, rec, "<init>", ctor.append(")V").toString(), false);
        mv.visitInsn(ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
    }
}
