package dev.cinnabar.benchmarks;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * JMH's worker pool ({@code -Djmh.executor=CUSTOM -Djmh.executor.class=...}) made of Netty
 * {@code FastThreadLocalThread}s, the kind of thread Netty's own factory gives an event loop.
 *
 * <p>Why it matters: Netty 4.2's Recycler pools objects only on such threads; on a plain
 * {@link Thread} every pooled {@code ByteBuf} handle and every outbound-buffer entry is a new heap
 * object, about 150 bytes per reply. Benchmarks of the server path run on this pool so that they
 * measure the event loop's allocation, not the JMH thread's.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {
    /** The system properties that make a forked JMH VM use this pool. */
    public static final String JVM_ARG_EXECUTOR = "-Djmh.executor=CUSTOM";
    public static final String JVM_ARG_CLASS = "-Djmh.executor.class=dev.cinnabar.benchmarks.EventLoopThreadExecutor";

    /** The constructor JMH's CUSTOM executor type calls. */
    public EventLoopThreadExecutor(final int maxThreads, final String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
            new DefaultThreadFactory(prefix, true));
    }
}
