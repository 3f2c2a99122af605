/**
 * Internals shared by the event readers ({@code io.jbpf.maps.ringbuf}, {@code io.jbpf.maps.perf}):
 * owned mmaps, an epoll poller with an eventfd wake-up, and the guard that lets another thread
 * close a reader while it reads. Not API.
 */
package io.jbpf.maps.internal.events;
