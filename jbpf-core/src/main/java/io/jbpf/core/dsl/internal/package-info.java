/** The packet DSL's compiler: the header parser, match and action code. Not an API. */
package io.jbpf.core.dsl.internal;
