package io.sluice.sdk.thrift;

/** Thrift's type codes as the binary protocol writes them; the compact reader maps its own to these. */
final class ThriftType {
    static final byte STOP = 0;
    static final byte BOOL = 2;
    static final byte BYTE = 3;
    static final byte DOUBLE = 4;
    static final byte I16 = 6;
    static final byte I32 = 8;
    static final byte I64 = 10;
    static final byte STRING = 11;
    static final byte STRUCT = 12;
    static final byte MAP = 13;
    static final byte SET = 14;
    static final byte LIST = 15;

    /** Message types. */
    static final byte CALL = 1;
    static final byte REPLY = 2;
    static final byte EXCEPTION = 3;
    static final byte ONEWAY = 4;

    private ThriftType() {
    }

    static String name(byte type) {
        return switch (type) {
            case STOP -> "stop";
            case BOOL -> "bool";
            case BYTE -> "byte";
            case DOUBLE -> "double";
            case I16 -> "i16";
            case I32 -> "i32";
            case I64 -> "i64";
            case STRING -> "string";
            case STRUCT -> "struct";
            case MAP -> "map";
            case SET -> "set";
            case LIST -> "list";
            default -> "type " + type;
        };
    }
}
