/** Network namespaces: open one by name and run work on a thread that lives inside it. */
package io.jbpf.core.netns;
