package dev.cinnabar.storage.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a load found besides the keys: version, aux fields, counts, warnings, checksum status. */
public final class RdbLoadResult {
    /** The checksum trailer: compared and equal, zero in the file (saved with rdbchecksum no), or not compared. */
    public enum Checksum { VERIFIED, DISABLED_IN_FILE, NOT_CHECKED }

    int version;
    final Map<String, byte[]> aux = new LinkedHashMap<>();
    final List<byte[]> functions = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();
    long keys;
    long expiredSkipped;
    long emptySkipped;
    long bytes;
    Checksum checksum = Checksum.NOT_CHECKED;

    public int version() {
        return version;
    }

    /** Aux fields by name, in file order. */
    public Map<String, byte[]> aux() {
        return Collections.unmodifiableMap(aux);
    }

    /** An aux field as text, or null. */
    public String auxString(final String name) {
        final byte[] v = aux.get(name);
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /** An aux field as a number, or {@code dflt} when absent or not a number. */
    public long auxLong(final String name, final long dflt) {
        final String s = auxString(name);
        if (s == null) {
            return dflt;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return dflt;
        }
    }

    /** The replication id the file was saved at (repl-id), or null. */
    public String replId() {
        return auxString("repl-id");
    }

    /** The replication offset the file was saved at (repl-offset), or -1. */
    public long replOffset() {
        return auxLong("repl-offset", -1);
    }

    /** The database of the replication stream (repl-stream-db), or -1. */
    public int replStreamDb() {
        return (int) auxLong("repl-stream-db", -1);
    }

    /** Function libraries found (FUNCTION2); the loader itself does not run them. */
    public List<byte[]> functions() {
        return Collections.unmodifiableList(functions);
    }

    /** Records skipped with a warning (module aux data, function libraries, empty keys). */
    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    /** Keys handed to the visitor (for a keyspace load: keys added). */
    public long keys() {
        return keys;
    }

    /** Keys not added because their deadline had passed (a master's load). */
    public long expiredSkipped() {
        return expiredSkipped;
    }

    /** Empty collections skipped, as Redis skips them. */
    public long emptySkipped() {
        return emptySkipped;
    }

    /** Bytes read, checksum included. */
    public long bytes() {
        return bytes;
    }

    public Checksum checksum() {
        return checksum;
    }
}
