/**
 * JUnit 5 support for eBPF programs (extension, packet builders, AssertJ assertions).
 *
 * <p>Not implemented yet: the VM issue fills this module.
 */
package io.jbpf.test;
