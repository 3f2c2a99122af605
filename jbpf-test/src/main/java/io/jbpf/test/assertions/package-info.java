/**
 * AssertJ assertions of the test kit: on {@link io.jbpf.test.RunOutcome}s, packets and
 * {@link io.jbpf.test.TestMap}s. Start from {@link io.jbpf.test.BpfAssertions}.
 */
package io.jbpf.test.assertions;
