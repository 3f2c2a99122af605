/** The engines behind {@link io.jbpf.test.BpfProgramUnderTest} and the JUnit plumbing. Not API: may change at any time. */
package io.jbpf.test.internal;
