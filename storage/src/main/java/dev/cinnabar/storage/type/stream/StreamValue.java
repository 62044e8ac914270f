package dev.cinnabar.storage.type.stream;

import dev.cinnabar.storage.type.MemorySizes;
import dev.cinnabar.storage.type.TypedValue;
import dev.cinnabar.storage.type.ValueType;

/**
 * A stream, kept exactly as Redis serialized it.
 *
 * <p>Why opaque: Cinnabar has no stream commands (XADD, XRANGE, ... answer "unknown command"), but
 * a dump.rdb, a full sync from a Redis master or a RESTORE may carry streams. Refusing them would
 * stop a migration at the first stream key; dropping them would lose data. So a stream is kept as
 * the bytes of its RDB value (its listpacks, consumer groups and pending entries) and written back
 * unchanged by SAVE, BGSAVE, a full sync to a replica and DUMP, while the generic key commands
 * (TYPE, EXISTS, DEL, EXPIRE, RENAME, COPY, MOVE, OBJECT, MEMORY USAGE) treat it as any value.
 *
 * <p>Invariant: {@code body} is never written, so copies share it.
 */
public final class StreamValue implements TypedValue {
    private final int rdbType;
    private final byte[] body;

    /** A stream of the RDB value type {@code rdbType} whose value bytes (after the type byte) are {@code body}. */
    public StreamValue(final int rdbType, final byte[] body) {
        this.rdbType = rdbType;
        this.body = body;
    }

    public int rdbType() {
        return rdbType;
    }

    /** The RDB value bytes, not to be modified. */
    public byte[] body() {
        return body;
    }

    @Override
    public ValueType type() {
        return ValueType.STREAM;
    }

    @Override
    public String encoding() {
        return "stream";
    }

    @Override
    public StreamValue copy() {
        return this;
    }

    @Override
    public long memoryBytes() {
        return MemorySizes.object(2 * 4) + MemorySizes.byteArray(body.length);
    }
}
