package dev.cinnabar.sentinel;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Persists the sentinel's state whenever it changes (Redis's sentinelFlushConfig, a CONFIG REWRITE of the whole file).
 * The host's store rewrites its own parameters and merges the sentinel lines with
 * {@link SentinelConfigRewriter#rewrite}; {@link #file} does the sentinel part alone.
 */
@FunctionalInterface
public interface SentinelConfigStore {
    void save(SentinelConfigRewriter.Plan plan) throws IOException;

    /** Rewrites {@code path} keeping every non-sentinel line, atomically (temp file, fsync, rename). */
    static SentinelConfigStore file(final Path path) {
        return plan -> SentinelConfigRewriter.rewriteFile(path, plan);
    }
}
