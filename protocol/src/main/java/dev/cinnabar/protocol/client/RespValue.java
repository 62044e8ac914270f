package dev.cinnabar.protocol.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One decoded reply, as a small immutable tree. Maps keep their entries flattened (key, value, key, value...)
 * so that order is preserved and a RESP2 view of them is the element list itself.
 */
public final class RespValue {
    /** The RESP2/RESP3 reply kinds. Null bulk, null array and RESP3 null all decode to {@link #NULL}. */
    public enum Type {
        SIMPLE, ERROR, INTEGER, BULK, NULL, ARRAY, MAP, SET, PUSH, DOUBLE, BOOLEAN, BIG_NUMBER, VERBATIM
    }

    public static final RespValue NIL = new RespValue(Type.NULL, null, 0, List.of(), null);
    public static final RespValue TRUE = new RespValue(Type.BOOLEAN, null, 1, List.of(), null);
    public static final RespValue FALSE = new RespValue(Type.BOOLEAN, null, 0, List.of(), null);

    private final Type type;
    private final byte[] bytes;
    private final long integer;
    private final List<RespValue> elements;
    private final RespValue attributes;

    private RespValue(final Type type, final byte[] bytes, final long integer, final List<RespValue> elements,
                      final RespValue attributes) {
        this.type = type;
        this.bytes = bytes;
        this.integer = integer;
        this.elements = elements;
        this.attributes = attributes;
    }

    /** SIMPLE, ERROR, BULK, DOUBLE (its text), BIG_NUMBER (its digits) or VERBATIM (the payload with its format). */
    public static RespValue text(final Type type, final byte[] bytes) {
        return new RespValue(type, bytes, 0, List.of(), null);
    }

    public static RespValue integer(final long value) {
        return new RespValue(Type.INTEGER, null, value, List.of(), null);
    }

    /** ARRAY, SET, PUSH, or MAP with flattened key/value elements. */
    public static RespValue aggregate(final Type type, final List<RespValue> elements) {
        return new RespValue(type, null, elements.size(), List.copyOf(elements), null);
    }

    /** This value with the RESP3 attribute map that preceded it on the wire. */
    public RespValue withAttributes(final RespValue map) {
        return new RespValue(type, bytes, integer, elements, map);
    }

    public Type type() {
        return type;
    }

    public boolean is(final Type t) {
        return type == t;
    }

    public boolean isError() {
        return type == Type.ERROR;
    }

    public boolean isNull() {
        return type == Type.NULL;
    }

    public boolean isAggregate() {
        return type == Type.ARRAY || type == Type.MAP || type == Type.SET || type == Type.PUSH;
    }

    /** The raw payload of a textual reply; for VERBATIM without its "txt:" format prefix. */
    public byte[] bytes() {
        if (type == Type.VERBATIM && bytes.length >= 4 && bytes[3] == ':') {
            return java.util.Arrays.copyOfRange(bytes, 4, bytes.length);
        }
        return bytes;
    }

    /** The three-letter format of a VERBATIM reply ("txt", "mkd"). */
    public String verbatimFormat() {
        return bytes.length >= 4 ? new String(bytes, 0, 3, StandardCharsets.US_ASCII) : "";
    }

    public String string() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    /** INTEGER's value, or BOOLEAN as 1/0. */
    public long integer() {
        return integer;
    }

    public boolean bool() {
        return integer != 0;
    }

    /** Children of an aggregate; a MAP's are key, value, key, value... */
    public List<RespValue> elements() {
        return elements;
    }

    public int size() {
        return elements.size();
    }

    public RespValue get(final int i) {
        return elements.get(i);
    }

    /** The attribute map sent before this reply, or null. */
    public RespValue attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        switch (type) {
            case INTEGER:
                return "INTEGER " + integer;
            case BOOLEAN:
                return bool() ? "TRUE" : "FALSE";
            case NULL:
                return "NULL";
            case ARRAY: case MAP: case SET: case PUSH:
                return type + " " + elements;
            default:
                return type + " " + new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
