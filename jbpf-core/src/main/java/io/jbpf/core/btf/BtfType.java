package io.jbpf.core.btf;

import java.util.List;

/**
 * One BTF type. Ids are positions in the type table; id 0 is {@code void}. References between
 * types are ids, resolved through {@link Btf#type(int)}.
 */
public sealed interface BtfType {

    /** This type's id. */
    int id();

    /** Its name, "" for anonymous types. */
    String name();

    BtfKind kind();

    /** {@code void}, type 0. */
    record Void() implements BtfType {
        public int id() {
            return 0;
        }

        public String name() {
            return "void";
        }

        public BtfKind kind() {
            return BtfKind.VOID;
        }
    }

    /** An integer: {@code bits} wide at bit {@code offset} of its {@code size} bytes. */
    record Int(int id, String name, int size, boolean signed, boolean isChar, boolean isBool, int offset, int bits)
            implements BtfType {
        public BtfKind kind() {
            return BtfKind.INT;
        }
    }

    /** A pointer to {@code type}. */
    record Ptr(int id, String name, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.PTR;
        }
    }

    /** An array of {@code count} elements of {@code elementType}. */
    record Array(int id, String name, int elementType, int indexType, int count) implements BtfType {
        public BtfKind kind() {
            return BtfKind.ARRAY;
        }
    }

    /** A member of a struct or union; {@code bitfieldSize} is 0 for a plain member. */
    record Member(String name, int type, int bitOffset, int bitfieldSize) {
    }

    /** A struct or union of {@code size} bytes. */
    record Struct(int id, String name, boolean union, int size, List<Member> members) implements BtfType {
        public BtfKind kind() {
            return union ? BtfKind.UNION : BtfKind.STRUCT;
        }
    }

    /** One enumerator. */
    record Enumerator(String name, long value) {
    }

    /** An enum of {@code size} bytes (ENUM or ENUM64). */
    record Enum(int id, String name, boolean is64, int size, boolean signed, List<Enumerator> values)
            implements BtfType {
        public BtfKind kind() {
            return is64 ? BtfKind.ENUM64 : BtfKind.ENUM;
        }
    }

    /** A forward declaration of a struct or union. */
    record Fwd(int id, String name, boolean union) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FWD;
        }
    }

    /** A typedef, const, volatile, restrict or type tag of {@code type}. */
    record Modifier(int id, String name, BtfKind kind, int type) implements BtfType {
    }

    /** A function of prototype {@code type}, with linkage 0 static, 1 global, 2 extern. */
    record Func(int id, String name, int linkage, int type) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC;
        }
    }

    /** A parameter of a function prototype. */
    record Param(String name, int type) {
    }

    /** A function prototype. */
    record FuncProto(int id, String name, int returnType, List<Param> params) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FUNC_PROTO;
        }
    }

    /** A variable of {@code type}, with linkage 0 static, 1 global, 2 extern. */
    record Var(int id, String name, int type, int linkage) implements BtfType {
        public BtfKind kind() {
            return BtfKind.VAR;
        }
    }

    /** A variable's place in a data section. */
    record VarSecInfo(int type, int offset, int size) {
    }

    /** A data section ({@code .data}, {@code .bss}, {@code .maps}, ...) and its variables. */
    record Datasec(int id, String name, int size, List<VarSecInfo> vars) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DATASEC;
        }
    }

    /** A floating-point type of {@code size} bytes. */
    record Float(int id, String name, int size) implements BtfType {
        public BtfKind kind() {
            return BtfKind.FLOAT;
        }
    }

    /** A declaration tag on {@code type} (or on its member/parameter {@code componentIndex}, -1 for the type itself). */
    record DeclTag(int id, String name, int type, int componentIndex) implements BtfType {
        public BtfKind kind() {
            return BtfKind.DECL_TAG;
        }
    }
}
