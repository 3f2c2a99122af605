/**
 * JMH benchmarks of jbpf.
 */
package io.jbpf.benchmarks;
