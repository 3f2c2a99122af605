/**
 * A Java DSL for packet programs: {@link io.jbpf.core.dsl.PacketProgram} rules of
 * {@link io.jbpf.core.dsl.Match}es over header fields and {@link io.jbpf.core.dsl.Action}s,
 * compiled to eBPF for XDP, TC or socket filters ({@link io.jbpf.core.dsl.Target}) that the verifier
 * accepts as generated: headers are parsed once with one bounds check each, matches become short
 * branch code. Start from {@link io.jbpf.core.dsl.Dsl}. Code compiled elsewhere plugs in through
 * {@link io.jbpf.core.dsl.CodePredicate} and {@link io.jbpf.core.dsl.CodeAction}.
 */
package io.jbpf.core.dsl;
