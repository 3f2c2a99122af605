/** What the network examples share: namespaces joined by veth pairs, made and removed with {@code ip(8)}. */
package io.jbpf.examples.lab;
