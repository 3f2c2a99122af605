package io.jbpf.core.netns;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.JbpfException;
import io.jbpf.core.ObjectClosedException;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.Sys;
import io.jbpf.core.internal.netlink.Netlink;
import io.jbpf.core.internal.netlink.NetlinkSocket;
import io.jbpf.core.link.AttachTargetNotFoundException;
import io.jbpf.core.link.internal.LinkNetlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace, open by fd, with a dedicated thread that lives in it.
 *
 * <p>{@code setns(2)} switches only the calling thread, so this class does not switch the caller
 * behind its back: {@link #run} executes work on its own thread, which entered the namespace once
 * when the namespace was opened. Sockets, netlink sockets and interface lookups made there belong to
 * the namespace and keep belonging to it when used from other threads later. A thread that must
 * itself live in the namespace for a while (a benchmark's thread opening sockets in a loop) asks
 * for it explicitly with {@link #enter()}, a scope it closes to return. {@link #close()} stops the
 * thread and closes the fd; the namespace itself stays (it is removed with {@code ip netns delete}).
 */
public final class NetNamespace implements AutoCloseable {
    /** Where {@code ip netns} keeps named namespaces. */
    public static final String RUN_DIR = "/var/run/netns";

    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int CLONE_NEWNET = 0x40000000;

    private final String name;
    private final Fd fd;
    private final ExecutorService thread;
    private volatile Thread worker;

    private NetNamespace(String name, Fd fd, ExecutorService thread) {
        this.name = name;
        this.fd = fd;
        this.thread = thread;
    }

    /** Opens the named namespace {@code /var/run/netns/<name>} (as created by {@code ip netns add}). */
    public static NetNamespace open(String name) {
        if (name.isEmpty() || name.contains("/")) {
            throw new IllegalArgumentException("not a network namespace name: '" + name + "'");
        }
        return openPath(Path.of(RUN_DIR, name), name);
    }

    /** Opens the namespace at {@code path}, e.g. {@code /proc/<pid>/ns/net}. */
    public static NetNamespace openPath(Path path) {
        return openPath(path, path.toString());
    }

    private static NetNamespace openPath(Path path, String name) {
        if (!Files.exists(path)) {
            throw new AttachTargetNotFoundException("network namespace", name,
                    path + " does not exist (create it with: ip netns add " + name + ")");
        }
        int n = Sys.get().open(path.toString(), O_RDONLY | O_CLOEXEC, 0);
        if (n < 0) {
            throw new BpfException("open", Errno.of(-n), "open network namespace " + path);
        }
        Fd fd = Fd.own(n, "network namespace '" + name + "'");
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "jbpf-netns-" + name);
            t.setDaemon(true);
            return t;
        });
        NetNamespace ns = new NetNamespace(name, fd, thread);
        try {
            ns.worker = ns.run(Thread::currentThread);
            ns.run(() -> {
                int r = Sys.get().setns(n, CLONE_NEWNET);
                if (r < 0) {
                    throw new BpfException("setns", Errno.of(-r), "enter network namespace '" + name + "'");
                }
                return null;
            });
            return ns;
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    /**
     * Runs {@code task} on this namespace's thread and returns its result. Unchecked exceptions and
     * errors of the task are rethrown as they are; checked ones are wrapped in a {@link JbpfException}.
     * Called from a task already running there, runs {@code task} directly. A caller interrupted
     * while waiting gets a {@link JbpfException} at once; a task that had not started never runs,
     * one that had is interrupted, and if it still returns a result that is {@link AutoCloseable},
     * that result is closed, since nobody receives it (so a task should return only what it made,
     * such as a socket it opened: opening one does not stop for an interrupt).
     */
    public <T> T run(Callable<T> task) {
        if (fd.isClosed()) {
            throw new ObjectClosedException(fd.what());
        }
        if (Thread.currentThread() == worker) {
            try {
                return task.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new JbpfException("failed in network namespace '" + name + "': " + e, e);
            }
        }
        // who owns the result: the caller once delivered, the task when the caller gave up waiting
        AtomicInteger handoff = new AtomicInteger(WAITING);
        Future<T> f = thread.submit(() -> {
            T result = task.call();
            if (!handoff.compareAndSet(WAITING, DELIVERED)) {
                closeQuietly(result);
            }
            return result;
        });
        try {
            return f.get();
        } catch (InterruptedException e) {
            if (handoff.compareAndSet(WAITING, ABANDONED)) {
                // not started: it never runs; running: interrupted, and what it still makes it closes
                f.cancel(true);
            } else {
                closeQuietly(resultOf(f)); // delivered just now, to nobody
            }
            Thread.currentThread().interrupt();
            throw new JbpfException("interrupted while running in network namespace '" + name + "'", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new JbpfException("failed in network namespace '" + name + "': " + cause, cause);
        }
    }

    /** Runs {@code task} on this namespace's thread. */
    public void execute(Runnable task) {
        run(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Moves the calling thread into this namespace until the returned scope is closed, which moves it
     * back to the namespace it was in. The scope belongs to the calling thread: closing it from another
     * thread throws {@link IllegalStateException}. Scopes nest when closed in reverse order.
     *
     * @throws BpfException when the thread cannot switch (e.g. without CAP_SYS_ADMIN)
     */
    public Entered enter() {
        if (fd.isClosed()) {
            throw new ObjectClosedException(fd.what());
        }
        int back = Sys.get().open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC, 0);
        if (back < 0) {
            throw new BpfException("open", Errno.of(-back), "open the calling thread's network namespace");
        }
        Fd original = Fd.own(back, "the network namespace left for '" + name + "'");
        int r = Sys.get().setns(fd.get(), CLONE_NEWNET);
        if (r < 0) {
            original.close();
            throw new BpfException("setns", Errno.of(-r), "enter network namespace '" + name + "'");
        }
        return new Entered(Thread.currentThread(), original, name);
    }

    /** A thread's stay in a namespace ({@link #enter()}); closing it returns the thread. */
    public static final class Entered implements AutoCloseable {
        private final Thread thread;
        private final Fd original;
        private final String name;

        private Entered(Thread thread, Fd original, String name) {
            this.thread = thread;
            this.original = original;
            this.name = name;
        }

        /** Moves the thread back to the namespace it was in; a second close does nothing. */
        @Override
        public void close() {
            if (Thread.currentThread() != thread) {
                throw new IllegalStateException("the stay in network namespace '" + name + "' belongs to thread "
                        + thread.getName() + ", not " + Thread.currentThread().getName());
            }
            if (original.isClosed()) {
                return;
            }
            try {
                int r = Sys.get().setns(original.get(), CLONE_NEWNET);
                if (r < 0) {
                    throw new BpfException("setns", Errno.of(-r), "return from network namespace '" + name + "'");
                }
            } finally {
                original.close();
            }
        }
    }

    /** The index of interface {@code ifname} in this namespace. */
    public int ifindex(String ifname) {
        int index = run(() -> Sys.get().ifNameToIndex(ifname));
        if (index == 0) {
            throw new AttachTargetNotFoundException("network interface", ifname,
                    "no such interface in network namespace '" + name + "'");
        }
        return index;
    }

    /**
     * The hardware (MAC) address of interface {@code ifname} in this namespace.
     *
     * @throws AttachTargetNotFoundException when the namespace has no such interface
     * @throws JbpfException when it has no hardware address (loopback, tunnels)
     */
    public byte[] hardwareAddress(String ifname) {
        int index = ifindex(ifname);
        // a route netlink socket opened on this namespace's thread asks this namespace
        return run(() -> {
            try (NetlinkSocket socket = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
                return LinkNetlink.hardwareAddress(socket, index).orElseThrow(() -> new JbpfException(
                        "interface " + ifname + " in network namespace '" + name + "' has no hardware address"));
            }
        });
    }

    /** The name given when opening. */
    public String name() {
        return name;
    }

    /** The namespace fd number; the namespace keeps owning it. */
    public int fd() {
        return fd.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
        fd.close();
    }

    @Override
    public String toString() {
        return "NetNamespace[" + name + (fd.isClosed() ? ", closed" : "") + "]";
    }

    private static final int WAITING = 0, DELIVERED = 1, ABANDONED = 2;

    /**
     * A result that holds a resource (a socket opened in the namespace, say) and that its caller,
     * interrupted, never received: closed, instead of staying open until the JVM exits.
     */
    private static void closeQuietly(Object result) {
        if (result instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception ignored) {
                // nobody to tell: the caller was interrupted and learns that instead
            }
        }
    }

    /** The completed task's result, waiting through interrupts (it is done or about to be). */
    private static Object resultOf(Future<?> f) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException again) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException failed) {
                    return null;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
