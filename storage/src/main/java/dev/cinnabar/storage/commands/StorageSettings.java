package dev.cinnabar.storage.commands;

/**
 * The configuration values data commands read. The server's config table writes these fields
 * through apply hooks, so a CONFIG SET takes effect on the next command without a lookup by name.
 */
public final class StorageSettings {
    public long protoMaxBulkLen = 512L * 1024 * 1024;
    public int hashMaxListpackEntries = 512;
    public int hashMaxListpackValue = 64;
    public int listMaxListpackSize = -2;
    public int listCompressDepth;
    public int setMaxIntsetEntries = 512;
    public int zsetMaxListpackEntries = 128;
    public int zsetMaxListpackValue = 64;
    public int hllSparseMaxBytes = 3000;
    public long maxmemory;
    public String maxmemoryPolicy = "noeviction";
    public int maxmemorySamples = 5;
    public int lfuLogFactor = 10;
    public int lfuDecayTime = 1;
    /** rdbcompression: LZF for RDB strings over 20 bytes, in files and DUMP payloads. */
    public boolean rdbCompression = true;
    /** rdbchecksum: write and verify the CRC-64 trailer of RDB files. */
    public boolean rdbChecksum = true;
}
