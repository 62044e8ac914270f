package dev.cinnabar.server.cron;

/**
 * A rate sampled by the cron, Redis's trackInstantaneousMetric: every 100 ms the increase of a
 * counter per second is stored in a ring of 16 samples; the reported rate is their mean.
 */
public final class InstantaneousMetric {
    private static final int SAMPLES = 16;
    private final long[] samples = new long[SAMPLES];
    private int idx;
    private long lastValue;
    private long lastMs;

    /** Records a sample when at least 100 ms passed since the previous one. */
    public void track(final long value, final long nowMs) {
        if (lastMs == 0) {
            lastMs = nowMs;
            lastValue = value;
            return;
        }
        final long elapsed = nowMs - lastMs;
        if (elapsed < 100) {
            return;
        }
        samples[idx] = (value - lastValue) * 1000 / elapsed;
        idx = (idx + 1) % SAMPLES;
        lastMs = nowMs;
        lastValue = value;
    }

    public long perSecond() {
        long sum = 0;
        for (final long s : samples) {
            sum += s;
        }
        return sum / SAMPLES;
    }
}
