/**
 * Load-balancing blocks: the Maglev lookup table, the map layouts of services, backends, Maglev
 * tables and connection affinity, and the eBPF code that picks a backend for a VIP and translates
 * the packets both ways.
 */
package io.jbpf.core.dsl.lb;
