/**
 * The lab's built-in servers: HTTP answering like traefik/whoami, TCP echo, UDP echo. They use
 * nothing but the JDK, so {@link io.jbpf.netpolicy.lab.serve.LabServer} starts as a small process
 * inside a pod's network namespace with this jar alone on its class path.
 */
package io.jbpf.netpolicy.lab.serve;
