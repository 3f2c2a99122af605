package io.jbpf.core.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** For what the kernel finishes asynchronously (e.g. freeing a link whose last reference was a pin). */
public final class Eventually {
    private Eventually() {}

    /** Whether {@code condition} holds within {@code limit}, checked every 20 ms. */
    public static boolean within(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
