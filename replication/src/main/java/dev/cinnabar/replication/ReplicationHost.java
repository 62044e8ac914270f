package dev.cinnabar.replication;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import dev.cinnabar.replication.master.RdbStream;
import dev.cinnabar.replication.replica.MasterConnection;
import dev.cinnabar.replication.replica.MasterStream;
import io.netty.buffer.ByteBufAllocator;

/**
 * What replication needs from the server it runs in: the dataset (load, snapshot, the master
 * client that applies the stream), the loop, and outbound connections. Everything is called on
 * the keyspace loop.
 */
public interface ReplicationHost {
    /**
     * The role changed: a replica of {@code masterHost}:{@code masterPort}, or a master when
     * {@code masterHost} is null. As a replica, expired keys read as missing but are never deleted
     * locally; the replicaof config and the log's role mark follow.
     */
    void masterChanged(String masterHost, int masterPort);

    /**
     * FAILOVER's write pause on or off. It has no end time and CLIENT UNPAUSE does not lift it;
     * clients it held resume once the current loop turn is over.
     */
    /**
     * Whether clients' writes are paused now (CLIENT PAUSE WRITE or ALL): a Cinnabar sentinel's
     * coordinated failover reads the master's offset under such a pause, and a replication PING
     * after that would put the old master ahead of the promoted replica (a full resync).
     */
    default boolean clientWritesPaused() {
        return false;
    }

    void failoverPause(boolean paused);

    /** Empties the dataset and loads the RDB in {@code file}; null on success, else why it failed. */
    String loadRdb(Path file);

    /** Whether no database holds a key (repl-diskless-load on-empty-db). */
    boolean datasetEmpty();

    /**
     * A diskless load starts (Redis's startLoading; {@code async}: the current data keeps serving,
     * INFO's async_loading) or ends ({@code on} false). {@code totalBytes} is -1 when unknown.
     */
    void loading(boolean on, boolean async, long totalBytes);

    /**
     * Parses an RDB from {@code in} into a dataset apart from the live one and returns it. Runs on
     * the loader thread: it must touch nothing the loop owns.
     */
    Object parseRdb(InputStream in, long size) throws IOException;

    /** Replaces the dataset by one {@link #parseRdb} returned (on the loop). */
    void installRdb(Object parsed);

    /** The master client that applies the stream; it keeps its database across partial resyncs. */
    MasterStream.Applier masterApplier();

    /** A full sync replaced the dataset: the master client starts afresh (database 0, no transaction). */
    void resetMasterClient();

    /** The link was lost: a transaction the master client had open is discarded, never half applied. */
    void discardMasterTransaction();

    /**
     * The link is in sync over {@code connection} (after a full sync or a partial resync): the
     * master client becomes one of the server's clients (Redis lists it with flags=M).
     */
    default void masterLinkUp(final MasterConnection connection) {
    }

    /** The link that {@link #masterLinkUp} announced is gone: the master client is no longer listed. */
    default void masterLinkDown() {
    }

    /**
     * A point-in-time RDB of the dataset for a full sync, carrying the replication id, offset and
     * stream database in its aux fields; null when this server cannot produce one.
     *
     * @throws IllegalStateException when another snapshot runs (the sync waits for the next tick)
     */
    RdbStream openSnapshot(String replid, long offset, int streamDb);

    /** Runs {@code task} on the keyspace loop after what is queued now. */
    void execute(Runnable task);

    ByteBufAllocator alloc();

    /** The current time for events that are not ticks (bytes arrived, a connection closed). */
    long nowMs();

    MasterConnection.Connector connector();
}
