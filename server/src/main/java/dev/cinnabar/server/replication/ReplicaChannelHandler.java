package dev.cinnabar.server.replication;

import dev.cinnabar.replication.master.ReplicaChannel;
import dev.cinnabar.server.ServerLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Turns a client connection that sent SYNC/PSYNC into a replica connection: the master's stream
 * (PSYNC reply, RDB, commands) is written through it, and nothing else is.
 *
 * <p>Why it guards the pipeline: a replica never gets command replies (REPLCONF ACK has none); a
 * reply to anything else it sends would land in the middle of the stream and corrupt it. As in
 * Redis ("Replica generated a reply to command"), such a replica is disconnected instead. The
 * handler tells stream bytes from replies by wrapping its own writes.
 */
final class ReplicaChannelHandler extends ChannelDuplexHandler implements ReplicaChannel {
    /** A write of the replication stream, as opposed to a command reply. */
    private record StreamBytes(ByteBuf data) {
    }

    private final Channel channel;
    private final Runnable onWritable;

    ReplicaChannelHandler(final Channel channel, final Runnable onWritable) {
        this.channel = channel;
        this.onWritable = onWritable;
    }

    @Override
    public void write(final ChannelHandlerContext ctx, final Object msg, final ChannelPromise promise) {
        if (msg instanceof StreamBytes s) {
            ctx.write(s.data(), promise);
            return;
        }
        if (msg instanceof ByteBuf b && !b.isReadable()) {
            ctx.write(msg, promise);
            return;
        }
        ReferenceCountUtil.release(msg);
        promise.setSuccess();
        ServerLog.warning("Replica generated a reply to a command: closing the replica connection "
            + channel.remoteAddress());
        ctx.close();
    }

    @Override
    public void channelWritabilityChanged(final ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            onWritable.run();
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Writes {@code data} to the socket at once. The stream reaches here once per loop turn (one
     * shared chunk, Replication.flushStream), so this is still one system call per replica per turn.
     * Why not a flush task: the replies acknowledging the turn's writes are flushed by a task queued
     * before it, so a master stopped between the two (SIGSTOP, measured in LostWritesIT) had
     * acknowledged a write that never left it.
     */
    @Override
    public void write(final ByteBuf data) {
        if (!channel.isActive()) {
            data.release();
            return;
        }
        channel.writeAndFlush(new StreamBytes(data), channel.voidPromise());
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public long pendingBytes() {
        final ChannelOutboundBuffer ob = channel.unsafe().outboundBuffer();
        return ob == null ? 0 : ob.totalPendingWriteBytes();
    }

    @Override
    public void close() {
        channel.close();
    }

    @Override
    public void closeAfterWrites() {
        channel.writeAndFlush(new StreamBytes(Unpooled.EMPTY_BUFFER)).addListener(ChannelFutureListener.CLOSE);
    }
}
