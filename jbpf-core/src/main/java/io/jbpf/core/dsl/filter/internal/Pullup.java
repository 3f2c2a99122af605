package io.jbpf.core.dsl.filter.internal;

import static io.jbpf.core.dsl.filter.internal.Bpf.*;

import io.jbpf.core.dsl.filter.internal.Linear.Ins;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * The "pull-up" of libpcap's optimizer, which reorders a chain of tests that all go to the same place
 * on one outcome. In {@code port 1234 or 22} the chain is {@code src == 1234}, {@code dst == 1234},
 * {@code src == 22}, {@code dst == 22} (all jumping to accept when true); libpcap moves the third test
 * up next to the first, as both test the source port already in A. The reordering keeps the meaning on
 * whole packets, but not on a packet cut short between the two ports: there the first failing load
 * rejects it. tcpdump judges such a packet by the reordered code, so ours is reordered the same way.
 *
 * <p>An or-chain is followed along false edges (an and-chain along true edges); block {@code b}'s
 * chain is scanned for the first block leaving another value in A ({@code diff}), then past it for a
 * block leaving the value A held on entry to {@code b} ({@code same}), which is moved in front of
 * {@code diff}. Every block on the way must share {@code b}'s other edge and be dominated by {@code b}.
 */
final class Pullup {
    private static final class Node {
        final int start;
        final List<Ins> stmts = new ArrayList<>();
        Ins term;
        int termIndex = -1;
        Node t;
        Node f;
        Node next;
        final List<Node> preds = new ArrayList<>();
        BitSet dom;
        int level = -1;
        int id;

        Node(int start) {
            this.start = start;
        }

        boolean isCond() {
            return term != null && term.isCond();
        }
    }

    private Pullup() {
    }

    /** Applies one pull-up to {@code code} (in place) and says whether there was one to apply. */
    static boolean pullOne(List<Ins> code) {
        String[] acc = Optimizer.accumulatorKeys(code);
        int[] live = Optimizer.liveness(code);
        List<Node> nodes = build(code);
        if (nodes == null) {
            return false;
        }
        Node root = nodes.get(0);
        for (Node n : nodes) {
            levelOf(n);
        }
        dominators(nodes, root);
        List<Node> order = new ArrayList<>(nodes);
        order.sort((x, y) -> x.level != y.level ? Integer.compare(x.level, y.level) : Integer.compare(x.start, y.start));
        for (Node b : order) {
            if (b.level < 1 || b == root) {
                continue;
            }
            if (pull(b, acc, live, true) || pull(b, acc, live, false)) {
                relayout(code, root);
                return true;
            }
        }
        return false;
    }

    private static String exitKey(Node n, String[] acc) {
        return n.isCond() ? acc[n.termIndex] : null;
    }

    /** One pull-up at {@code b}: along false edges for an or-chain, true edges for an and-chain. */
    private static boolean pull(Node b, String[] acc, int[] live, boolean or) {
        if (b.preds.isEmpty() || !b.isCond()) {
            return false;
        }
        String val = null;
        for (Node p : b.preds) {
            String k = p.isCond() ? exitKey(p, acc) : null;
            if (k == null || val != null && !val.equals(k)) {
                return false;
            }
            val = k;
        }
        Node shared = or ? b.t : b.f;
        Node diffParent = null;
        Node diff = b;
        while (true) {
            if (!diff.isCond() || (or ? diff.t : diff.f) != shared || !diff.dom.get(b.id)) {
                return false;
            }
            if (!Objects.equals(exitKey(diff, acc), val)) {
                break;
            }
            diffParent = diff;
            diff = or ? diff.f : diff.t;
        }
        Node sameParent = diff;
        Node same = or ? diff.f : diff.t;
        while (true) {
            if (!same.isCond() || (or ? same.t : same.f) != shared || !same.dom.get(b.id)) {
                return false;
            }
            if (val.equals(exitKey(same, acc))) {
                break;
            }
            sameParent = same;
            same = or ? same.f : same.t;
        }
        // nothing between may change X or the scratch memory the moved block reads, nor may it
        if (!onlyA(same) || !onlyAFrom(diff, same, or)) {
            return false;
        }
        Node after = or ? same.f : same.t;
        // libpcap's blocks each load what they test; ours may use what the block before left in A
        if ((live[after.start] & 1) != 0 && !val.equals(exitKey(sameParent, acc))) {
            return false;
        }
        if (or) {
            sameParent.f = after;
            same.f = diff;
        } else {
            sameParent.t = after;
            same.t = diff;
        }
        if (diffParent == null) {
            for (Node p : b.preds) {
                if (p.t == b) {
                    p.t = same;
                }
                if (p.f == b) {
                    p.f = same;
                }
            }
        } else if (or) {
            diffParent.f = same;
        } else {
            diffParent.t = same;
        }
        return true;
    }

    private static boolean onlyAFrom(Node from, Node to, boolean or) {
        for (Node n = from; n != to; n = or ? n.f : n.t) {
            if (!onlyA(n)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a block's statements write nothing but A. */
    private static boolean onlyA(Node n) {
        for (Ins in : n.stmts) {
            int c = cls(in.code);
            if (c != LD && c != ALU) {
                return false;
            }
        }
        return true;
    }

    private static int levelOf(Node n) {
        if (n.level >= 0) {
            return n.level;
        }
        if (n.isCond()) {
            n.level = Math.max(levelOf(n.t), levelOf(n.f)) + 1;
        } else if (n.next != null) {
            n.level = levelOf(n.next) + 1;
        } else {
            n.level = 0;
        }
        return n.level;
    }

    private static void dominators(List<Node> nodes, Node root) {
        // nodes are in layout order, which is topological (jumps go forward)
        for (Node n : nodes) {
            if (n == root) {
                n.dom = new BitSet();
            } else {
                BitSet d = null;
                for (Node p : n.preds) {
                    if (p.dom == null) {
                        continue;
                    }
                    if (d == null) {
                        d = (BitSet) p.dom.clone();
                    } else {
                        d.and(p.dom);
                    }
                }
                n.dom = d == null ? new BitSet() : d;
            }
            n.dom.set(n.id);
        }
    }

    /** Blocks of the code; null if it holds anything this pass does not handle (a backward jump). */
    private static List<Node> build(List<Ins> code) {
        int n = code.size();
        boolean[] leader = new boolean[n + 1];
        leader[0] = true;
        for (int i = 0; i < n; i++) {
            Ins in = code.get(i);
            if (in.isCond() || in.isJa()) {
                if (in.jt <= i || in.isCond() && in.jf <= i) {
                    return null;
                }
                leader[in.jt] = true;
                if (in.isCond()) {
                    leader[in.jf] = true;
                }
            }
            if (in.isCond() || in.isJa() || in.isRet()) {
                leader[i + 1] = true;
            }
        }
        Map<Integer, Node> at = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        Node cur = null;
        for (int i = 0; i < n; i++) {
            if (leader[i]) {
                Node prev = cur;
                cur = new Node(i);
                cur.id = nodes.size();
                nodes.add(cur);
                at.put(i, cur);
                if (prev != null && prev.term == null && prev.next == null) {
                    prev.next = cur;
                }
            }
            Ins in = code.get(i);
            if (in.isCond() || in.isRet() || in.isJa()) {
                cur.term = in;
                cur.termIndex = i;
            } else {
                cur.stmts.add(in);
            }
        }
        for (Node x : nodes) {
            if (x.term != null && x.term.isCond()) {
                x.t = at.get(x.term.jt);
                x.f = at.get(x.term.jf);
            } else if (x.term != null && x.term.isJa()) {
                x.next = at.get(x.term.jt);
                x.term = null;
            }
        }
        // edges into a block that only jumps on go straight to where it jumps
        for (Node x : nodes) {
            x.t = skip(x.t);
            x.f = skip(x.f);
            x.next = skip(x.next);
        }
        for (Node x : nodes) {
            if (x.isCond()) {
                x.t.preds.add(x);
                x.f.preds.add(x);
            } else if (x.next != null) {
                x.next.preds.add(x);
            }
        }
        return nodes;
    }

    private static Node skip(Node n) {
        while (n != null && n.stmts.isEmpty() && n.term == null && n.next != null) {
            n = n.next;
        }
        return n;
    }

    /** Lays the blocks reachable from {@code root} out again in an order where every jump goes forward. */
    private static void relayout(List<Ins> code, Node root) {
        Map<Node, Integer> indegree = new HashMap<>();
        List<Node> reachable = new ArrayList<>();
        collect(root, reachable, new BitSet());
        for (Node x : reachable) {
            indegree.putIfAbsent(x, 0);
            for (Node s : successors(x)) {
                indegree.merge(s, 1, Integer::sum);
            }
        }
        PriorityQueue<Node> ready = new PriorityQueue<>((x, y) -> Integer.compare(x.start, y.start));
        ready.add(root);
        List<Node> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            Node x = ready.poll();
            order.add(x);
            for (Node s : successors(x)) {
                if (indegree.merge(s, -1, Integer::sum) == 0) {
                    ready.add(s);
                }
            }
        }
        Map<Node, Integer> pos = new HashMap<>();
        int p = 0;
        for (int i = 0; i < order.size(); i++) {
            Node x = order.get(i);
            pos.put(x, p);
            p += x.stmts.size() + size(x, i + 1 < order.size() ? order.get(i + 1) : null);
        }
        List<Ins> out = new ArrayList<>();
        for (int i = 0; i < order.size(); i++) {
            Node x = order.get(i);
            for (Ins s : x.stmts) {
                out.add(s.copy());
            }
            if (x.isCond()) {
                Ins c = x.term.copy();
                c.jt = pos.get(x.t);
                c.jf = pos.get(x.f);
                out.add(c);
            } else if (x.term != null) {
                out.add(x.term.copy());
            } else if (size(x, i + 1 < order.size() ? order.get(i + 1) : null) == 1) {
                out.add(Linear.ja(pos.get(x.next)));
            }
        }
        code.clear();
        code.addAll(out);
    }

    private static int size(Node x, Node following) {
        if (x.term != null) {
            return 1;
        }
        return x.next == following ? 0 : 1;
    }

    private static List<Node> successors(Node x) {
        List<Node> s = new ArrayList<>(2);
        if (x.isCond()) {
            s.add(x.t);
            if (x.f != x.t) {
                s.add(x.f);
            }
        } else if (x.next != null) {
            s.add(x.next);
        }
        return s;
    }

    private static void collect(Node x, List<Node> into, BitSet seen) {
        if (seen.get(x.id)) {
            return;
        }
        seen.set(x.id);
        into.add(x);
        for (Node s : successors(x)) {
            collect(s, into, seen);
        }
    }
}
