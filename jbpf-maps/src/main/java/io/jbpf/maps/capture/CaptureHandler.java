package io.jbpf.maps.capture;

/** Receives the packets a {@link LiveCapture} matched, on the thread that reads them. */
@FunctionalInterface
public interface CaptureHandler {
    /** One matching packet (a copy: it may be kept). */
    void onPacket(CapturedPacket packet);
}
