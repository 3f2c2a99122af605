/**
 * The compiler's stages: {@link io.jbpf.core.dsl.filter.internal.Lexer} and
 * {@link io.jbpf.core.dsl.filter.internal.Parser} (libpcap's grammar) to an
 * {@link io.jbpf.core.dsl.filter.internal.Ast}; {@link io.jbpf.core.dsl.filter.internal.CodeGen}
 * (libpcap's gencode meaning for each primitive) to {@link io.jbpf.core.dsl.filter.internal.Cond}
 * tests; {@link io.jbpf.core.dsl.filter.internal.Factor} (common tests out of alternatives);
 * {@link io.jbpf.core.dsl.filter.internal.Linear} (layout as forward jumps) and
 * {@link io.jbpf.core.dsl.filter.internal.Optimizer} (threading, dead and redundant loads, tail
 * merging). Not API.
 */
package io.jbpf.core.dsl.filter.internal;
