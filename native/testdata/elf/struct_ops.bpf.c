// SPDX-License-Identifier: GPL-2.0
// A TCP congestion control written in BPF (struct_ops): Reno's rules spelled out on struct
// tcp_sock, registered through a link (SEC(".struct_ops.link")). It counts its calls in .bss so
// that a test can see the kernel's TCP stack used it.
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__u64 init_calls = 0;
__u64 cong_avoid_calls = 0;
__u64 ssthresh_calls = 0;

static struct tcp_sock *tcp(struct sock *sk)
{
	return (struct tcp_sock *)sk;
}

SEC("struct_ops/jbpf_init")
void BPF_PROG(jbpf_init, struct sock *sk)
{
	__sync_fetch_and_add(&init_calls, 1);
}

SEC("struct_ops/jbpf_ssthresh")
__u32 BPF_PROG(jbpf_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = tcp(sk);
	__u32 half = tp->snd_cwnd >> 1;

	__sync_fetch_and_add(&ssthresh_calls, 1);
	return half > 2 ? half : 2;
}

SEC("struct_ops/jbpf_cong_avoid")
void BPF_PROG(jbpf_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	struct tcp_sock *tp = tcp(sk);

	__sync_fetch_and_add(&cong_avoid_calls, 1);
	if (tp->snd_cwnd < tp->snd_ssthresh) {
		tp->snd_cwnd += acked;          /* slow start */
	} else if (tp->snd_cwnd_cnt + 1 >= tp->snd_cwnd) {
		tp->snd_cwnd_cnt = 0;           /* one more segment per window */
		tp->snd_cwnd += 1;
	} else {
		tp->snd_cwnd_cnt += 1;
	}
	if (tp->snd_cwnd > tp->snd_cwnd_clamp)
		tp->snd_cwnd = tp->snd_cwnd_clamp;
}

SEC("struct_ops/jbpf_undo_cwnd")
__u32 BPF_PROG(jbpf_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = tcp(sk);

	return tp->snd_cwnd > tp->prior_cwnd ? tp->snd_cwnd : tp->prior_cwnd;
}

SEC(".struct_ops.link")
struct tcp_congestion_ops jbpf_reno = {
	.init = (void *)jbpf_init,
	.ssthresh = (void *)jbpf_ssthresh,
	.cong_avoid = (void *)jbpf_cong_avoid,
	.undo_cwnd = (void *)jbpf_undo_cwnd,
	.name = "jbpf_reno",
};
