/**
 * Attaching programs to kernel hooks: one class per attach kind, all {@link io.jbpf.core.link.Link}s.
 *
 * <table>
 * <caption>Attach kinds</caption>
 * <tr><th>Hook</th><th>With a bpf_link</th><th>Legacy (no link object)</th></tr>
 * <tr><td>XDP</td><td>{@link io.jbpf.core.link.XdpLink} (5.9)</td>
 *     <td>{@link io.jbpf.core.link.XdpNetlinkAttachment} (rtnetlink IFLA_XDP)</td></tr>
 * <tr><td>TC</td><td>{@link io.jbpf.core.link.TcxLink} (6.6)</td>
 *     <td>{@link io.jbpf.core.link.TcFilterAttachment} (clsact + cls_bpf direct-action)</td></tr>
 * <tr><td>cgroup</td><td>{@link io.jbpf.core.link.CgroupLink} (5.7)</td>
 *     <td>{@link io.jbpf.core.link.CgroupAttachment} (BPF_PROG_ATTACH, NONE/OVERRIDE/MULTI)</td></tr>
 * <tr><td>kprobe, uprobe, tracepoint</td>
 *     <td>{@link io.jbpf.core.link.KprobeLink}, {@link io.jbpf.core.link.UprobeLink},
 *     {@link io.jbpf.core.link.TracepointLink} with {@link io.jbpf.core.link.PerfAttachMethod#BPF_LINK} (5.15)</td>
 *     <td>the same classes with {@link io.jbpf.core.link.PerfAttachMethod#IOCTL}</td></tr>
 * <tr><td>many probes at once</td><td>{@link io.jbpf.core.link.KprobeMultiLink} (5.18),
 *     {@link io.jbpf.core.link.UprobeMultiLink} (6.6)</td><td></td></tr>
 * <tr><td>raw tracepoint</td><td>{@link io.jbpf.core.link.RawTracepointLink} (4.17; pinnable since 5.7)</td><td></td></tr>
 * <tr><td>socket</td><td></td><td>{@link io.jbpf.core.link.SocketFilter} (SO_ATTACH_BPF, SO_ATTACH_FILTER)</td></tr>
 * </table>
 *
 * <p>{@code close()} detaches. Network hooks resolve interface names and indexes in the calling
 * thread's network namespace: to attach inside another one, call from
 * {@link io.jbpf.core.netns.NetNamespace#run}. A missing target throws
 * {@link io.jbpf.core.link.AttachTargetNotFoundException}; a kernel refusal throws
 * {@link io.jbpf.core.link.AttachException} (bpf(), setsockopt, perf_event_open) or
 * {@link io.jbpf.core.NetlinkException} (with the kernel's extended-ack message); a kernel without
 * the link kind throws {@link io.jbpf.core.features.UnsupportedFeatureException}.
 */
package io.jbpf.core.link;
