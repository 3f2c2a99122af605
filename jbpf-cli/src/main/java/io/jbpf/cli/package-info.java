/**
 * The {@code jbpf} command line.
 */
package io.jbpf.cli;
