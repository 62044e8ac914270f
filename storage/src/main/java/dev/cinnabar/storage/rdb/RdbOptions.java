package dev.cinnabar.storage.rdb;

import dev.cinnabar.storage.commands.StorageSettings;

/**
 * How a file is written: {@code rdbcompression} (LZF for strings over 20 bytes),
 * {@code rdbchecksum} (a zero trailer when off, which loaders accept unchecked), the list node
 * size ({@code list-max-listpack-size}) and whether keys carry their LRU idle time or LFU
 * counter, which Redis saves under an LRU or LFU maxmemory-policy.
 */
public record RdbOptions(boolean compression, boolean checksum, int listMaxListpackSize, boolean saveIdle,
                         boolean saveFreq) {

    /** Redis's defaults: compression and checksum on, 8 KiB list nodes, no access times. */
    public static RdbOptions defaults() {
        return new RdbOptions(true, true, -2, false, false);
    }

    /** The options Redis would use under these settings. */
    public static RdbOptions of(final StorageSettings s, final boolean compression, final boolean checksum) {
        final String policy = s.maxmemoryPolicy;
        return new RdbOptions(compression, checksum, s.listMaxListpackSize, policy.endsWith("-lru"),
            policy.endsWith("-lfu"));
    }
}
