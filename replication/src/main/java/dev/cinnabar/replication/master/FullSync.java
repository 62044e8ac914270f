package dev.cinnabar.replication.master;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import dev.cinnabar.replication.ReplicationLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One snapshot transfer of a full sync, to the replicas that were waiting when it started: streamed
 * to their sockets framed by an EOF mark (diskless), or written to the RDB file and then sent to
 * each as a {@code $<len>} bulk (disk).
 *
 * <p>Why slices with backpressure: the RDB is produced on the keyspace loop between client
 * commands; a slice is produced only while every socket still accepts data, so a slow replica
 * slows the snapshot down, never the clients, and memory stays bounded.
 *
 * <ol>
 *   <li>Diskless: {@code $EOF:<mark>\r\n}, the RDB, the mark; the replica then goes ONLINE but gets
 *       the command stream only after its first ACK (it detects the end by the mark).</li>
 *   <li>Disk: the RDB goes to a temporary file renamed to the RDB file when complete; each replica
 *       then gets {@code $<len>\r\n} and the file (SEND_BULK) and is ONLINE and streaming at once.</li>
 *   <li>A replica that disconnects leaves the transfer; when none is left the snapshot is dropped.</li>
 * </ol>
 *
 * <p>Redis: replication.c startBgsaveForReplication(), rdb.c rdbSaveToSlavesSockets(),
 * replication.c sendBulkToSlave(), updateSlavesWaitingBgsave().
 */
public final class FullSync {
    private static final int SLICE_BYTES = 64 * 1024;

    /** Told when replicas reach the end of the transfer. */
    public interface Done {
        /** {@code s} has the RDB; {@code streamed} when it was the EOF-mark form. */
        void online(ReplicaSession s, boolean streamed);
    }

    private final boolean socketTarget;
    private final RdbStream rdb;
    private final List<ReplicaSession> targets;
    private final byte[] mark;
    private final ByteBufAllocator alloc;
    private final ReplicationLog log;
    private final Done done;
    private final Path rdbFile;
    private FileChannel diskOut;
    private Path tempFile;
    private boolean produced;
    private boolean finished;
    /** Disk target: per replica, how far into the file it was sent. */
    private final List<long[]> sent = new ArrayList<>();
    private long fileLength;

    public FullSync(final boolean socketTarget, final RdbStream rdb, final List<ReplicaSession> targets, final byte[] mark,
             final Path rdbFile, final ByteBufAllocator alloc, final ReplicationLog log, final Done done) {
        this.socketTarget = socketTarget;
        this.rdb = rdb;
        this.targets = new ArrayList<>(targets);
        this.mark = mark;
        this.rdbFile = rdbFile;
        this.alloc = alloc;
        this.log = log;
        this.done = done;
    }

    public boolean socketTarget() {
        return socketTarget;
    }

    public boolean finished() {
        return finished;
    }

    /** Whether the snapshot is still being produced (disk target: the file is not complete). */
    public boolean producing() {
        return !produced && !finished;
    }

    /** Opens the transfer: the EOF header to each socket, or the temporary RDB file. */
    public void begin() throws IOException {
        if (socketTarget) {
            final byte[] header = ("$EOF:" + new String(mark, StandardCharsets.US_ASCII) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
            for (final ReplicaSession s : targets) {
                s.channel().write(alloc.buffer(header.length).writeBytes(header));
            }
        } else {
            tempFile = rdbFile.resolveSibling("temp-" + ProcessHandle.current().pid() + ".rdb");
            diskOut = FileChannel.open(tempFile, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        }
    }

    /** A replica of this transfer disconnected. */
    public void forget(final ReplicaSession s) {
        final int i = targets.indexOf(s);
        if (i < 0) {
            return;
        }
        targets.remove(i);
        if (!sent.isEmpty()) {
            sent.remove(i);
        }
        if (targets.isEmpty() && socketTarget) {
            abort();
        }
    }

    /**
     * Moves the transfer on as far as the sockets allow; the owner calls it again on the next loop
     * turn while it returns true.
     *
     * @return true when more work remains and the sockets can take it now
     */
    public boolean pump() throws IOException {
        if (finished) {
            return false;
        }
        if (!produced) {
            if (socketTarget && !allWritable()) {
                return false;
            }
            produceSlice();
            return !finished;
        }
        return sendFileSlices();
    }

    private boolean allWritable() {
        for (final ReplicaSession s : targets) {
            if (!s.channel().isWritable()) {
                return false;
            }
        }
        return true;
    }

    private void produceSlice() throws IOException {
        final ByteBuf slice = alloc.buffer(SLICE_BYTES);
        final boolean more;
        try {
            more = rdb.next(slice, SLICE_BYTES);
            if (socketTarget) {
                for (final ReplicaSession s : targets) {
                    s.channel().write(slice.retainedDuplicate());
                }
            } else {
                final ByteBuffer nio = slice.nioBuffer();
                while (nio.hasRemaining()) {
                    diskOut.write(nio);
                }
            }
        } finally {
            slice.release();
        }
        if (!more) {
            produced = true;
            rdb.close();
            if (socketTarget) {
                endStreamed();
            } else {
                endFile();
            }
        }
    }

    private void endStreamed() {
        for (final ReplicaSession s : targets) {
            s.channel().write(alloc.buffer(mark.length).writeBytes(mark));
            log.notice("Streamed RDB transfer with replica " + s.name()
                + " succeeded (socket). Waiting for REPLCONF ACK from slave to enable streaming");
            done.online(s, true);
        }
        finished = true;
    }

    private void endFile() throws IOException {
        diskOut.force(true);
        diskOut.close();
        diskOut = null;
        Files.move(tempFile, rdbFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        log.notice("DB saved on disk");
        log.notice("Background saving terminated with success");
        fileLength = Files.size(rdbFile);
        for (final ReplicaSession s : targets) {
            s.state(ReplicaSessionState.SEND_BULK, 0);
            final byte[] header = ("$" + fileLength + "\r\n").getBytes(StandardCharsets.US_ASCII);
            s.channel().write(alloc.buffer(header.length).writeBytes(header));
            sent.add(new long[] {0});
        }
    }

    /** Disk target: the file, in slices, to each replica whose socket has room. */
    private boolean sendFileSlices() throws IOException {
        boolean progress = false;
        try (FileChannel in = FileChannel.open(rdbFile, StandardOpenOption.READ)) {
            for (int i = targets.size() - 1; i >= 0; i--) {
                final ReplicaSession s = targets.get(i);
                final long[] pos = sent.get(i);
                if (pos[0] < fileLength && s.channel().isWritable()) {
                    final int n = (int) Math.min(SLICE_BYTES, fileLength - pos[0]);
                    final ByteBuf buf = alloc.buffer(n);
                    buf.writeBytes(in, pos[0], n);
                    pos[0] += n;
                    s.channel().write(buf);
                    progress = true;
                }
                if (pos[0] >= fileLength) {
                    targets.remove(i);
                    sent.remove(i);
                    done.online(s, false);
                }
            }
        }
        if (targets.isEmpty()) {
            finished = true;
            return false;
        }
        return progress;
    }

    /** Stops everything: the snapshot, the temporary file. */
    public void abort() {
        if (finished) {
            return;
        }
        finished = true;
        if (!produced) {
            rdb.close();
        }
        if (diskOut != null) {
            try {
                diskOut.close();
                Files.deleteIfExists(tempFile);
            } catch (IOException e) {
                log.warning("Can't remove temp file " + tempFile + ": " + e.getMessage());
            }
            diskOut = null;
        }
    }
}
