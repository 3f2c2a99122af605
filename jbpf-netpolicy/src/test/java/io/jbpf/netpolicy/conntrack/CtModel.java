package io.jbpf.netpolicy.conntrack;

import io.jbpf.netpolicy.policy.Direction;
import java.util.HashMap;
import java.util.Map;

/**
 * Connection tracking as the documentation of {@link ConntrackStep} describes it, written in plain
 * Java over a map of keys to values (no capacity: tests keep under the real map's): the reference
 * the emitted code is compared with.
 */
final class CtModel {
    /** What the tuple step gives for a packet. */
    record Question(ConntrackKey key, int length, int flags, boolean icmpError) {}

    final Map<ConntrackKey, ConntrackValue> entries = new HashMap<>();
    private final ConntrackTimeouts t;

    CtModel(ConntrackTimeouts t) {
        this.t = t;
    }

    ConntrackResult run(Question q, long now, boolean allowNew, int identity) {
        ConntrackResult r = lookup(q, now);
        if (r == ConntrackResult.NEW && allowNew && !q.icmpError()) {
            ConntrackValue fresh = new ConntrackValue(0, 0, 0, 0, 0, now, 0, 0, 0, identity);
            entries.put(q.key(), update(fresh, q, now, true));
        }
        return r;
    }

    private ConntrackValue alive(ConntrackKey k, long now) {
        ConntrackValue v = entries.get(k);
        return v == null || v.expiredAt(now) ? null : v;
    }

    private ConntrackResult lookup(Question q, long now) {
        ConntrackValue v = alive(q.key(), now);
        if (v != null) {
            if (q.icmpError()) {
                return ConntrackResult.RELATED;
            }
            boolean synOnly = (q.flags() & (ConntrackStep.SYN | ConntrackStep.ACK)) == ConntrackStep.SYN;
            if (q.key().protocol() == 6 && synOnly && v.closing()) {
                return ConntrackResult.NEW;
            }
            entries.put(q.key(), update(v, q, now, true));
            return ConntrackResult.ESTABLISHED;
        }
        ConntrackKey rk = q.key().reversed();
        v = alive(rk, now);
        if (v != null) {
            if (q.icmpError()) {
                return ConntrackResult.RELATED;
            }
            entries.put(rk, update(v, q, now, false));
            return ConntrackResult.REPLY;
        }
        return ConntrackResult.NEW;
    }

    private ConntrackValue update(ConntrackValue v, Question q, long now, boolean tx) {
        long lifetime = v.lifetime();
        int state = v.state();
        int f = q.flags();
        if (q.key().protocol() != 6) {
            lifetime = now + t.other();
        } else {
            if ((state & ConntrackMap.BOTH_CLOSING) != ConntrackMap.BOTH_CLOSING) {
                if ((f & ConntrackStep.SYN) == 0) {
                    state |= ConntrackMap.SEEN_NON_SYN;
                }
                lifetime = now + ((state & ConntrackMap.SEEN_NON_SYN) != 0 ? t.tcpEstablished() : t.tcpSyn());
            }
            if ((f & ConntrackStep.RST) != 0) {
                state |= ConntrackMap.BOTH_CLOSING;
            } else if ((f & ConntrackStep.FIN) != 0) {
                state |= tx ? ConntrackMap.TX_CLOSING : ConntrackMap.RX_CLOSING;
            }
            if ((f & (ConntrackStep.FIN | ConntrackStep.RST)) != 0
                    && (state & ConntrackMap.BOTH_CLOSING) == ConntrackMap.BOTH_CLOSING) {
                lifetime = now + t.tcpClose();
            }
        }
        return tx
                ? new ConntrackValue(v.txPackets() + 1, v.txBytes() + q.length(), v.rxPackets(), v.rxBytes(), lifetime,
                        v.created(), v.txFlagsSeen() | f, v.rxFlagsSeen(), state, v.sourceIdentity())
                : new ConntrackValue(v.txPackets(), v.txBytes(), v.rxPackets() + 1, v.rxBytes() + q.length(), lifetime,
                        v.created(), v.txFlagsSeen(), v.rxFlagsSeen() | f, state, v.sourceIdentity());
    }

    static Direction flip(Direction d) {
        return d == Direction.INGRESS ? Direction.EGRESS : Direction.INGRESS;
    }
}
