/**
 * YAML read into nodes that remember their path, line and column, and typed field access that
 * names the offending field: the shared base of the lab file and (later) policy file readers.
 * Parsing only: no syscall.
 */
package io.jbpf.netpolicy.internal.yaml;
