package io.jbpf.core.dsl.filter.internal;

/** The syntax tree of a pcap-filter expression, qualifiers already resolved as libpcap's grammar does. */
public final class Ast {
    private Ast() {
    }

    /** A boolean expression. */
    public sealed interface Expr permits And, Or, Not, Primitive, Abbrev, Relation, Other {
    }

    /** {@code l and r}. */
    public record And(Expr l, Expr r) implements Expr {
    }

    /** {@code l or r}. */
    public record Or(Expr l, Expr r) implements Expr {
    }

    /** {@code not e}. */
    public record Not(Expr e) implements Expr {
    }

    /** An id with its qualifiers: {@code src host 1.2.3.4}, {@code port 80}, {@code net 10/8}. */
    public record Primitive(Qual q, Value value, Token at) implements Expr {
    }

    /** A protocol name alone: {@code tcp}, {@code ip6}, {@code arp}. */
    public record Abbrev(Qual.Proto proto, Token at) implements Expr {
    }

    /**
     * {@code l op r}; {@code jop} is one of "jgt", "jge", "jeq" and {@code reversed} negates it
     * ({@code <=} is not {@code >}, {@code <} is not {@code >=}, {@code !=} is not {@code =}).
     */
    public record Relation(String jop, boolean reversed, Arith l, Arith r, Token at) implements Expr {
    }

    /** The other primitives: broadcast, multicast, less, greater, vlan, byte. */
    public record Other(String kind, Qual.Proto proto, Long a, Long b, String op, Token at) implements Expr {
    }

    /** The value part of a {@link Primitive}. */
    public sealed interface Value permits Num, Hid, Hid6, Eid, Name {
    }

    /** A number ({@code port 80}, {@code host 10}). */
    public record Num(long v) implements Value {
    }

    /**
     * A dotted IPv4 address or prefix, with an optional {@code mask} ({@code 10.1 mask 255.255.0.0})
     * or prefix length {@code len} ({@code 10.0.0.0/8}); {@code len} is -1 without one.
     */
    public record Hid(String text, String mask, int len) implements Value {
    }

    /** An IPv6 address with a prefix length (128 without one). */
    public record Hid6(String text, byte[] addr, int len) implements Value {
    }

    /** A MAC address. */
    public record Eid(String text, byte[] mac) implements Value {
    }

    /** A name: a host name, port name, protocol name or port range {@code 1-1024}. */
    public record Name(String text) implements Value {
    }

    /** An arithmetic expression of a comparison. */
    public sealed interface Arith permits ANum, ALen, ALoad, ABin, ANeg {
    }

    /** A constant. */
    public record ANum(long v) implements Arith {
    }

    /** {@code len}: the packet's length on the wire. */
    public record ALen() implements Arith {
    }

    /** {@code proto[index:size]}. */
    public record ALoad(Qual.Proto proto, Arith index, int size, Token at) implements Arith {
    }

    /** {@code l op r} with op one of + - * / % &amp; | ^ &lt;&lt; &gt;&gt;. */
    public record ABin(String op, Arith l, Arith r, Token at) implements Arith {
    }

    /** {@code -e}. */
    public record ANeg(Arith e) implements Arith {
    }
}
