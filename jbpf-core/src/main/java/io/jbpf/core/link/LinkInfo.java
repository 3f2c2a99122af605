package io.jbpf.core.link;

import io.jbpf.core.prog.AttachType;

/**
 * What the kernel says about a {@code bpf_link} ({@code struct bpf_link_info}).
 *
 * @param id the link's kernel id
 * @param type the kind of link
 * @param programId the id of the attached program
 * @param ifindex the interface of an XDP or TCX link, else 0
 * @param cgroupId the cgroup id of a cgroup link, else 0
 * @param attachType the attach type of a TCX or cgroup link, else {@code null}
 */
public record LinkInfo(int id, LinkType type, int programId, int ifindex, long cgroupId, AttachType attachType) {}
