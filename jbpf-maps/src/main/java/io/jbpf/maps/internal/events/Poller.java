package io.jbpf.maps.internal.events;

import io.jbpf.core.BpfException;
import io.jbpf.core.Errno;
import io.jbpf.core.internal.sys.Epoll;
import io.jbpf.core.internal.sys.Fd;
import io.jbpf.core.internal.sys.NativeBuffer;
import io.jbpf.core.internal.sys.Sys;
import java.nio.ByteBuffer;

/**
 * An epoll instance with an eventfd registered in it, so that another thread can {@link #wake()}
 * a thread blocked in {@link #await}. Owns both fds. Level-triggered: the wake-up is never
 * consumed, so once woken (which only happens on close) every later wait returns at once.
 */
public final class Poller implements AutoCloseable {
    /** The epoll data tag of the wake-up eventfd. */
    public static final long WAKE_TAG = -1L;

    private final Fd epoll;
    private final Fd wake;
    private final NativeBuffer events;
    private final ByteBuffer eventsView;
    private final int capacity;
    private final NativeBuffer one = NativeBuffer.allocate(8);

    private Poller(Fd epoll, Fd wake, int capacity) {
        this.epoll = epoll;
        this.wake = wake;
        this.capacity = capacity;
        this.events = NativeBuffer.allocate(Epoll.EVENT_SIZE * capacity);
        this.eventsView = events.buffer();
    }

    /** A poller reporting up to {@code capacity} ready fds per wait, for {@code what} (messages). */
    public static Poller create(int capacity, String what) {
        Fd ep = own(Sys.get().epollCreate1(Epoll.CLOEXEC), "epoll_create1", "epoll of " + what);
        Fd ev = null;
        try {
            ev = own(Sys.get().eventfd(0, Epoll.EFD_CLOEXEC | Epoll.EFD_NONBLOCK), "eventfd", "wake-up eventfd of " + what);
            Poller p = new Poller(ep, ev, capacity + 1);
            p.add(ev.get(), Epoll.IN, WAKE_TAG);
            return p;
        } catch (RuntimeException e) {
            Fd.closeQuietly(ev);
            ep.close();
            throw e;
        }
    }

    private static Fd own(int r, String call, String what) {
        if (r < 0) {
            throw new BpfException(call, Errno.of(-r), what);
        }
        return Fd.own(r, what);
    }

    /** Watches {@code fd} for {@code events} ({@link Epoll#IN}, {@link Epoll#OUT}), reporting {@code tag}. */
    public void add(int fd, int eventMask, long tag) {
        NativeBuffer ev = NativeBuffer.allocate(Epoll.EVENT_SIZE);
        ev.buffer().putInt(Epoll.EVENT_EVENTS, eventMask);
        ev.buffer().putLong(Epoll.EVENT_DATA, tag);
        int r = Sys.get().epollCtl(epoll.get(), Epoll.CTL_ADD, fd, ev.address());
        if (r < 0) {
            throw new BpfException("epoll_ctl(EPOLL_CTL_ADD)", Errno.of(-r), epoll.what());
        }
    }

    /**
     * Waits up to {@code timeoutMs} (-1: forever) for watched fds. Returns the number of ready
     * entries ({@link #tag} tells which), 0 on timeout or interruption by a signal.
     */
    public int await(int timeoutMs) {
        int r = Sys.get().epollWait(epoll.get(), events.address(), capacity, timeoutMs);
        if (r == -Errno.EINTR.number()) {
            return 0;
        }
        if (r < 0) {
            throw new BpfException("epoll_wait", Errno.of(-r), epoll.what());
        }
        return r;
    }

    /**
     * Calls {@code attempt} until it handles something, {@code guard} is closed, or {@code deadline}
     * passes, waiting on this poller between tries; returns what the last attempt handled.
     */
    public int awaitWork(Deadline deadline, Guard guard, java.util.function.IntSupplier attempt) {
        while (true) {
            int n = attempt.getAsInt();
            if (n > 0 || guard.isClosed()) {
                return n;
            }
            if (deadline.expired()) {
                return 0;
            }
            await(deadline.epollMillis());
        }
    }

    /** The tag of ready entry {@code i} of the last {@link #await}. */
    public long tag(int i) {
        return eventsView.getLong(i * Epoll.EVENT_SIZE + Epoll.EVENT_DATA);
    }

    /** Makes every current and future {@link #await} return; callable from any thread. */
    public void wake() {
        if (wake.isClosed()) {
            return;
        }
        synchronized (one) {
            one.buffer().putLong(0, 1);
            try {
                Sys.get().write(wake.get(), one.address(), 8);
            } catch (io.jbpf.core.ObjectClosedException ignored) {
                // closed concurrently: nobody is left to wake
            }
        }
    }

    @Override
    public void close() {
        wake.close();
        epoll.close();
    }
}
