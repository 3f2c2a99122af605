package io.jbpf.core.dsl.filter.internal;

import io.jbpf.core.dsl.filter.PcapFilterException;
import io.jbpf.core.dsl.filter.PcapFilterSyntaxException;
import io.jbpf.core.dsl.filter.internal.Ast.*;
import java.util.List;
import java.util.Set;

/**
 * A recursive-descent parser for libpcap's filter grammar: {@code and}/{@code or} of equal
 * precedence, left associative; {@code not} binds tighter; a bare id after {@code and}/{@code or}
 * inherits the qualifiers of the term before it ({@code host a or b}); arithmetic with libpcap's
 * operator precedence ({@code %} and {@code ^}, which libpcap's grammar leaves without a precedence,
 * take everything to their right, as its parser does).
 */
public final class Parser {
    private static final Set<String> UNSUPPORTED = Set.of("inbound", "outbound", "ifindex", "mpls", "pppoed",
            "pppoes", "geneve", "vxlan", "batadv", "lane", "llc", "metac", "bcc", "oam", "oamf4", "oamf4ec",
            "oamf4sc", "sc", "ilmic", "vpi", "vci", "connectmsg", "metaconnect", "on", "ifname", "rnr", "rulenum",
            "reason", "rset", "ruleset", "srnr", "subrulenum", "action", "type", "subtype", "dir", "ra", "ta",
            "addr1", "addr2", "addr3", "addr4", "fisu", "lssu", "msu", "hfisu", "hlssu", "hmsu", "sio", "opc",
            "dpc", "sls", "hsio", "hopc", "hdpc", "hsls", "protochain", "gateway");

    private final List<Token> toks;
    private int p;
    private PcapFilterSyntaxException furthest;

    private Parser(List<Token> toks) {
        this.toks = toks;
    }

    /** Parses {@code src}; an empty expression gives null (libpcap's "match everything"). */
    public static Expr parse(String src) {
        Parser ps = new Parser(Lexer.tokenize(src));
        if (ps.peek().kind() == Token.Kind.EOF) {
            return null;
        }
        Result r = ps.parseExpr(Qual.NONE);
        if (ps.peek().kind() != Token.Kind.EOF) {
            throw ps.error("'and', 'or' or the end of the expression");
        }
        return r.e;
    }

    private record Result(Expr e, Qual q) {
    }

    private Token peek() {
        return toks.get(p);
    }

    private Token peek(int ahead) {
        return toks.get(Math.min(p + ahead, toks.size() - 1));
    }

    private Token take() {
        Token t = toks.get(p);
        if (t.kind() != Token.Kind.EOF) {
            p++;
        }
        return t;
    }

    private PcapFilterSyntaxException error(String expected) {
        Token t = peek();
        PcapFilterSyntaxException e = new PcapFilterSyntaxException(t.line(), t.column(), expected, t.describe());
        return keepFurthest(e);
    }

    private PcapFilterSyntaxException keepFurthest(PcapFilterSyntaxException e) {
        if (furthest != null && (furthest.line() > e.line()
                || furthest.line() == e.line() && furthest.column() > e.column())) {
            return furthest;
        }
        furthest = e;
        return e;
    }

    private void expectOp(String op, String what) {
        if (!peek().isOp(op)) {
            throw error(what);
        }
        take();
    }

    private boolean isConnector(Token t) {
        return t.isKeyword("and") || t.isKeyword("or");
    }

    // expr: term | expr and term | expr and id | expr or term | expr or id
    private Result parseExpr(Qual q) {
        Result r = parseTerm(q);
        while (isConnector(peek())) {
            boolean and = take().isKeyword("and");
            Result n = parseTermOrId(r.q);
            r = new Result(and ? new And(r.e, n.e) : new Or(r.e, n.e), n.q);
        }
        return r;
    }

    private Result parseTermOrId(Qual q) {
        Token t = peek();
        if (t.isKeyword("not")) {
            take();
            Result r = parseTermOrId(q);
            return new Result(new Not(r.e), r.q);
        }
        switch (t.kind()) {
            case HID: case HID6: case EID: case ID:
                return parseId(q);
            case NUM:
                return speculate(() -> parseTerm(q), () -> parseId(q));
            case OP:
                if (t.text().equals("(")) {
                    return speculate(() -> parseTerm(q), () -> parseId(q));
                }
                return parseTerm(q);
            default:
                return parseTerm(q);
        }
    }

    private interface Alt {
        Result run();
    }

    private Result speculate(Alt first, Alt second) {
        int save = p;
        try {
            return first.run();
        } catch (PcapFilterSyntaxException e) {
            p = save;
            return second.run();
        }
    }

    // term: rterm | not term
    private Result parseTerm(Qual q) {
        if (peek().isKeyword("not")) {
            take();
            Result r = parseTerm(q);
            return new Result(new Not(r.e), r.q);
        }
        return parseRterm(q);
    }

    private boolean couldStartArith() {
        Token t = peek();
        if (t.kind() == Token.Kind.NUM || t.isOp("(") || t.isOp("-") || t.isKeyword("len")) {
            return true;
        }
        return t.kind() == Token.Kind.KEYWORD && Qual.Proto.ofKeyword(t.text()) != null && peek(1).isOp("[");
    }

    private static String relop(Token t) {
        if (t.kind() != Token.Kind.OP) {
            return null;
        }
        switch (t.text()) {
            case ">": case ">=": case "=": case "<=": case "<": case "!=":
                return t.text();
            default:
                return null;
        }
    }

    private Result parseRterm(Qual q) {
        Token start = peek();
        if (couldStartArith()) {
            int save = p;
            try {
                Arith l = parseArith(0);
                String op = relop(peek());
                if (op != null) {
                    take();
                    Arith r = parseArith(0);
                    Relation rel;
                    switch (op) {
                        case ">": rel = new Relation("jgt", false, l, r, start); break;
                        case ">=": rel = new Relation("jge", false, l, r, start); break;
                        case "=": rel = new Relation("jeq", false, l, r, start); break;
                        case "<=": rel = new Relation("jgt", true, l, r, start); break;
                        case "<": rel = new Relation("jge", true, l, r, start); break;
                        default: rel = new Relation("jeq", true, l, r, start); break;
                    }
                    return new Result(rel, Qual.NONE);
                }
                if (!start.isOp("(")) {
                    throw error("a comparison operator (=, !=, <, <=, >, >=)");
                }
            } catch (PcapFilterSyntaxException e) {
                if (!start.isOp("(")) {
                    throw keepFurthest(e);
                }
            }
            p = save;
        }
        if (start.isOp("(")) {
            take();
            Result r = parseExpr(q);
            expectOp(")", "')'");
            return new Result(r.e, q);
        }
        Qual.Proto proto = Qual.Proto.DEFAULT;
        boolean havePqual = false;
        if (start.kind() == Token.Kind.KEYWORD && Qual.Proto.ofKeyword(start.text()) != null) {
            proto = Qual.Proto.ofKeyword(start.text());
            havePqual = true;
            take();
        }
        Token t = peek();
        Qual.Dir dir = null;
        if (t.isKeyword("src") || t.isKeyword("dst")) {
            take();
            dir = t.isKeyword("src") ? Qual.Dir.SRC : Qual.Dir.DST;
            Token c = peek();
            Token other = peek(1);
            if (isConnector(c) && (other.isKeyword("src") || other.isKeyword("dst")) && !other.text().equals(t.text())) {
                take();
                take();
                dir = c.isKeyword("and") ? Qual.Dir.AND : Qual.Dir.OR;
            }
            t = peek();
        }
        Qual.Addr addr = null;
        switch (t.kind() == Token.Kind.KEYWORD ? t.text() : "") {
            case "host": addr = Qual.Addr.HOST; break;
            case "net": addr = Qual.Addr.NET; break;
            case "port": addr = Qual.Addr.PORT; break;
            case "portrange": addr = Qual.Addr.PORTRANGE; break;
            case "proto":
                if (dir == null) {
                    addr = Qual.Addr.PROTO;
                }
                break;
            default:
                break;
        }
        if (addr != null) {
            take();
        }
        if (t.isKeyword("protochain") || t.isKeyword("gateway")) {
            throw new PcapFilterException(t.line(), t.column(), "'" + t.text() + "' is not supported by this compiler"
                    + (t.isKeyword("gateway") ? " (it needs host name resolution)" : ""));
        }
        if (dir != null || addr != null) {
            Qual hq = new Qual(proto, dir == null ? Qual.Dir.DEFAULT : dir, addr == null ? Qual.Addr.DEFAULT : addr);
            Result r = parseId(hq);
            return new Result(r.e, hq);
        }
        if (t.isKeyword("broadcast") || t.isKeyword("multicast")) {
            take();
            return new Result(new Other(t.text(), proto, null, null, null, havePqual ? start : t), Qual.NONE);
        }
        if (havePqual) {
            return new Result(new Abbrev(proto, start), Qual.NONE);
        }
        if (t.kind() == Token.Kind.KEYWORD) {
            switch (t.text()) {
                case "less": case "greater": {
                    take();
                    Token n = peek();
                    if (n.kind() != Token.Kind.NUM) {
                        throw error("a length (a number)");
                    }
                    take();
                    return new Result(new Other(t.text(), null, n.value(), null, null, t), Qual.NONE);
                }
                case "byte": {
                    take();
                    long idx = expectNum("a byte offset");
                    Token o = peek();
                    if (!(o.isOp("&") || o.isOp("|") || o.isOp("<") || o.isOp(">") || o.isOp("="))) {
                        throw error("one of & | < > =");
                    }
                    take();
                    long v = expectNum("a byte value");
                    return new Result(new Other("byte", null, idx, v, o.text(), t), Qual.NONE);
                }
                case "vlan": {
                    take();
                    Long id = null;
                    if (startsPnum()) {
                        id = parsePnum();
                    }
                    return new Result(new Other("vlan", null, id, null, null, t), Qual.NONE);
                }
                default:
                    if (UNSUPPORTED.contains(t.text())) {
                        throw new PcapFilterException(t.line(), t.column(),
                                "'" + t.text() + "' is not supported by this compiler (link type Ethernet)");
                    }
            }
        }
        throw error("a primitive (host, net, port, portrange, proto, a protocol name, vlan, less, greater,"
                + " broadcast, multicast or a comparison)");
    }

    private long expectNum(String what) {
        if (peek().kind() != Token.Kind.NUM) {
            throw error(what);
        }
        return take().value();
    }

    private boolean startsPnum() {
        int i = 0;
        while (peek(i).isOp("(")) {
            i++;
        }
        return peek(i).kind() == Token.Kind.NUM;
    }

    // pnum: NUM | '(' pnum ')'
    private long parsePnum() {
        if (peek().isOp("(")) {
            take();
            long v = parsePnum();
            expectOp(")", "')'");
            return v;
        }
        return expectNum("a number");
    }

    private String idExpectation(Qual q) {
        if (q.addr() == null) {
            return "a primitive";
        }
        switch (q.addr()) {
            case PORT:
                return "a port number";
            case PORTRANGE:
                return "a port range (like 1-1024)";
            case PROTO:
                return "a protocol number or name";
            case NET:
                return "a network (like 10.0.0.0/8)";
            default:
                return "a host address";
        }
    }

    // id: nid | pnum | '(' pid ')' ; nid also: not id
    private Result parseId(Qual q) {
        Token t = peek();
        if (t.isKeyword("not")) {
            take();
            Result r = parseId(q);
            return new Result(new Not(r.e), r.q);
        }
        if (t.isOp("(")) {
            take();
            Result r = parseId(q);
            while (isConnector(peek())) {
                boolean and = take().isKeyword("and");
                Result n = parseId(q);
                r = new Result(and ? new And(r.e, n.e) : new Or(r.e, n.e), q);
            }
            expectOp(")", "')'");
            return new Result(r.e, q);
        }
        if (q.undefined() && t.kind() != Token.Kind.EOF && t.kind() != Token.Kind.OP && t.kind() != Token.Kind.KEYWORD) {
            throw new PcapFilterException(t.line(), t.column(), "'" + t.text() + "' has no qualifier to inherit:"
                    + " the term before it (a protocol name, comparison or other primitive) gives none;"
                    + " write host/net/port before it");
        }
        switch (t.kind()) {
            case NUM:
                take();
                return new Result(new Primitive(q, new Num(t.value()), t), q);
            case HID: {
                take();
                if (peek().isOp("/")) {
                    take();
                    long len = expectNum("a prefix length");
                    return new Result(new Primitive(q, new Hid(t.text(), null, (int) Math.min(len, 1000)), t), q);
                }
                if (peek().isKeyword("mask")) {
                    take();
                    Token m = peek();
                    if (m.kind() != Token.Kind.HID) {
                        throw error("a dotted network mask (like 255.255.0.0)");
                    }
                    take();
                    return new Result(new Primitive(q, new Hid(t.text(), m.text(), -1), t), q);
                }
                return new Result(new Primitive(q, new Hid(t.text(), null, -1), t), q);
            }
            case HID6: {
                take();
                int len = 128;
                if (peek().isOp("/")) {
                    take();
                    len = (int) Math.min(expectNum("a prefix length"), 1000);
                }
                return new Result(new Primitive(q, new Hid6(t.text(), Ipv6.parse(t.text()), len), t), q);
            }
            case EID:
                take();
                return new Result(new Primitive(q, new Eid(t.text(), mac(t.text())), t), q);
            case ID:
                take();
                return new Result(new Primitive(q, new Name(t.text()), t), q);
            default:
                throw error(idExpectation(q));
        }
    }

    private static byte[] mac(String s) {
        String hex = s.replace(":", " ").replace("-", " ").replace(".", "");
        byte[] out = new byte[6];
        if (hex.indexOf(' ') >= 0) {
            String[] g = hex.split(" ");
            for (int i = 0; i < 6; i++) {
                out[i] = (byte) Integer.parseInt(g[i], 16);
            }
        } else {
            for (int i = 0; i < 6; i++) {
                out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
            }
        }
        return out;
    }

    // ---- arithmetic (Pratt) ----

    private static int lbp(Token t) {
        if (t.kind() != Token.Kind.OP) {
            return -1;
        }
        switch (t.text()) {
            case "|": return 10;
            case "&": return 20;
            case "<<": case ">>": return 30;
            case "+": case "-": return 40;
            case "*": case "/": return 50;
            case "%": case "^": return 100;
            default: return -1;
        }
    }

    private Arith parseArith(int minBp) {
        Arith left = parsePrimary();
        while (true) {
            Token op = peek();
            int lbp = lbp(op);
            if (lbp <= minBp) {
                break;
            }
            take();
            int rbp = lbp == 100 ? 0 : lbp;
            Arith right = parseArith(rbp);
            left = new ABin(op.text(), left, right, op);
        }
        return left;
    }

    private Arith parsePrimary() {
        Token t = peek();
        if (t.kind() == Token.Kind.NUM) {
            take();
            return new ANum(t.value());
        }
        if (t.isKeyword("len")) {
            take();
            return new ALen();
        }
        if (t.isOp("-")) {
            take();
            return new ANeg(parseArith(60));
        }
        if (t.isOp("(")) {
            take();
            Arith a = parseArith(0);
            expectOp(")", "')'");
            return a;
        }
        if (t.kind() == Token.Kind.KEYWORD && Qual.Proto.ofKeyword(t.text()) != null && peek(1).isOp("[")) {
            take();
            take();
            Arith idx = parseArith(0);
            int size = 1;
            if (peek().isOp(":")) {
                take();
                Token s = peek();
                size = (int) expectNum("a size (1, 2 or 4)");
                if (size != 1 && size != 2 && size != 4) {
                    throw new PcapFilterException(s.line(), s.column(), "data size must be 1, 2, or 4");
                }
            }
            expectOp("]", "']'");
            return new ALoad(Qual.Proto.ofKeyword(t.text()), idx, size, t);
        }
        throw error("a number, len, proto[offset] or '('");
    }
}
