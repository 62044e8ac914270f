package dev.cinnabar.storage.rdb;

/**
 * The byte codes of the RDB format: value types (what follows a key) and opcodes (the records
 * between keys), with the values of Redis's rdb.h. Version 10 is Redis 7.0's.
 */
public final class RdbType {
    public static final int VERSION = 10;

    public static final int STRING = 0;
    public static final int LIST = 1;
    public static final int SET = 2;
    public static final int ZSET = 3;
    public static final int HASH = 4;
    public static final int ZSET_2 = 5;
    public static final int MODULE_PRE_GA = 6;
    public static final int MODULE_2 = 7;
    public static final int HASH_ZIPMAP = 9;
    public static final int LIST_ZIPLIST = 10;
    public static final int SET_INTSET = 11;
    public static final int ZSET_ZIPLIST = 12;
    public static final int HASH_ZIPLIST = 13;
    public static final int LIST_QUICKLIST = 14;
    public static final int STREAM_LISTPACKS = 15;
    public static final int HASH_LISTPACK = 16;
    public static final int ZSET_LISTPACK = 17;
    public static final int LIST_QUICKLIST_2 = 18;
    public static final int STREAM_LISTPACKS_2 = 19;
    /** Written by Redis 7.2 (RDB 11), which Redis 7.0 refuses. */
    public static final int SET_LISTPACK = 20;
    public static final int STREAM_LISTPACKS_3 = 21;

    public static final int OPCODE_FUNCTION2 = 245;
    public static final int OPCODE_FUNCTION_PRE_GA = 246;
    public static final int OPCODE_MODULE_AUX = 247;
    public static final int OPCODE_IDLE = 248;
    public static final int OPCODE_FREQ = 249;
    public static final int OPCODE_AUX = 250;
    public static final int OPCODE_RESIZEDB = 251;
    public static final int OPCODE_EXPIRETIME_MS = 252;
    public static final int OPCODE_EXPIRETIME = 253;
    public static final int OPCODE_SELECTDB = 254;
    public static final int OPCODE_EOF = 255;

    /** Quicklist 2 node containers. */
    public static final int NODE_PLAIN = 1;
    public static final int NODE_PACKED = 2;

    private RdbType() {
    }

    /** A readable name for error messages. */
    public static String name(final int type) {
        return switch (type) {
            case STRING -> "string";
            case LIST -> "list";
            case SET -> "set";
            case ZSET -> "zset";
            case HASH -> "hash";
            case ZSET_2 -> "zset-2";
            case MODULE_PRE_GA -> "module-pre-ga";
            case MODULE_2 -> "module-2";
            case HASH_ZIPMAP -> "hash-zipmap";
            case LIST_ZIPLIST -> "list-ziplist";
            case SET_INTSET -> "set-intset";
            case ZSET_ZIPLIST -> "zset-ziplist";
            case HASH_ZIPLIST -> "hash-ziplist";
            case LIST_QUICKLIST -> "list-quicklist";
            case STREAM_LISTPACKS -> "stream-listpacks";
            case HASH_LISTPACK -> "hash-listpack";
            case ZSET_LISTPACK -> "zset-listpack";
            case LIST_QUICKLIST_2 -> "list-quicklist-2";
            case STREAM_LISTPACKS_2 -> "stream-listpacks-2";
            case SET_LISTPACK -> "set-listpack";
            case STREAM_LISTPACKS_3 -> "stream-listpacks-3";
            default -> "unknown type " + type;
        };
    }
}
