package dev.cinnabar.replication.replica;

import dev.cinnabar.protocol.resp.Args;
import dev.cinnabar.protocol.resp.ProtocolException;
import dev.cinnabar.protocol.resp.RespCommandDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * The command stream a replica receives from its master once in sync: decoded, applied, counted,
 * and forwarded byte for byte to this replica's own backlog and sub-replicas.
 *
 * <p>Why offsets move only at transaction boundaries: a replica that reconnects asks for the byte
 * after the last one it applied, and it must never have applied half a MULTI block; so the applied
 * offset (Redis's reploff) moves after a command only when no transaction is open, and only what
 * was applied is forwarded, so sub-replicas see whole blocks too.
 *
 * <ol>
 *   <li>{@code appliedOffset <= readOffset}; the difference is buffered (a partial command, or an
 *       open transaction) and is dropped if the link is lost.</li>
 *   <li>Forwarded bytes are exactly the bytes between two successive applied offsets.</li>
 *   <li>A command the applier defers (the server is paused) is retried first, before any other.</li>
 * </ol>
 *
 * <p>Redis: networking.c processInputBuffer()/commandProcessed() for the master client, and
 * replicationFeedStreamFromMasterStream().
 */
public final class MasterStream {
    /** What applying one command did. */
    public enum Applied {
        /** Done, and no transaction is open: the offset may move. */
        DONE,
        /** Done (or queued) inside an open MULTI. */
        IN_TRANSACTION,
        /** Not run: retry later (a client pause holds the server). */
        DEFERRED
    }

    /** Runs commands from the master on this server, as the master client. */
    public interface Applier {
        Applied apply(Args command);
    }

    /** Receives the applied bytes, in order, for the backlog and sub-replicas. */
    public interface Forwarder {
        /** {@code data} is only valid during the call. */
        void forward(ByteBuf data);
    }

    private final RespCommandDecoder decoder = new RespCommandDecoder();
    private final Args args = new Args();
    private final ByteBuf unforwarded = Unpooled.buffer(1024);
    private final Applier applier;
    private final Forwarder forwarder;
    private long appliedOffset;
    private long readOffset;
    private boolean deferred;

    public MasterStream(final long initialOffset, final Applier applier, final Forwarder forwarder) {
        this.appliedOffset = initialOffset;
        this.readOffset = initialOffset;
        this.applier = applier;
        this.forwarder = forwarder;
        decoder.protoMaxBulkLen(Long.MAX_VALUE);
    }

    /** Redis's master reploff: the last byte applied. */
    public long appliedOffset() {
        return appliedOffset;
    }

    /** Redis's master read_reploff: the last byte received. */
    public long readOffset() {
        return readOffset;
    }

    /**
     * Takes bytes from the master (the caller keeps {@code in}) and applies every complete command.
     *
     * @throws ProtocolException when the stream is not RESP; the link must be dropped
     */
    public void feed(final ByteBuf in) throws ProtocolException {
        final int n = in.readableBytes();
        readOffset += n;
        unforwarded.writeBytes(in, in.readerIndex(), n);
        decoder.append(in, args);
        process();
    }

    /**
     * Applies what is buffered until more bytes are needed or a command is deferred.
     *
     * @throws ProtocolException when the stream is not RESP
     */
    public void process() throws ProtocolException {
        // each turn applies one decoded command, so the loop ends with the buffered input
        while (deferred || decoder.next(args)) {
            final Applied r = applier.apply(args);
            if (r == Applied.DEFERRED) {
                deferred = true;
                return;
            }
            deferred = false;
            if (r == Applied.DONE) {
                advance(readOffset - decoder.pending());
            }
        }
    }

    /** Whether a deferred command waits to be retried. */
    public boolean hasDeferred() {
        return deferred;
    }

    private void advance(final long applied) {
        final int n = (int) (applied - appliedOffset);
        if (n <= 0) {
            return;
        }
        forwarder.forward(unforwarded.slice(unforwarded.readerIndex(), n));
        unforwarded.skipBytes(n);
        unforwarded.discardSomeReadBytes();
        appliedOffset = applied;
    }

    /** The link is gone: whatever was not applied is dropped. */
    public void close() {
        unforwarded.release();
    }
}
