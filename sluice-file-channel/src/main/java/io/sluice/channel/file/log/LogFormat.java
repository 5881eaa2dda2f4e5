package io.sluice.channel.file.log;

/**
 * The on-disk format of the file channel, version {@value #VERSION}. Every number is big-endian.
 *
 * <h2>Segment files</h2>
 * A data directory holds numbered segment files {@code segment-NNNNNNNNNN.wal}; segment ids are
 * unique across all data directories of one channel and only grow. A segment starts with a
 * {@value #SEGMENT_HEADER_SIZE}-byte header:
 * <pre>
 *   int  magic      0x534C574C ("SLWL")
 *   int  version    2 (version 1 segments are read too: they hold no MARKER record)
 *   long segmentId
 *   long createdMillis
 *   int  crc32c     of the 24 bytes before it
 * </pre>
 * followed by records. Every record is
 * <pre>
 *   int  length     bytes after the crc field (type .. end of payload), at least 9
 *   int  crc32c     of those {@code length} bytes
 *   byte type       1 PUT, 2 TAKE, 3 COMMIT, 4 ROLLBACK, 5 MARKER (version 2)
 *   long txId
 *   ...  payload
 * </pre>
 * Payloads:
 * <pre>
 *   PUT      int headerCount, headerCount x (int keyLength, UTF-8 key, int valueLength, UTF-8 value),
 *            int bodyLength, body
 *   TAKE     int count, count x long pointer
 *   COMMIT   long commitSeq, int putCount, int takeCount
 *   ROLLBACK (empty)
 *   MARKER   short ownerLength, UTF-8 owner, int markerLength, marker
 * </pre>
 * A MARKER record (at most one per owner and transaction, before the COMMIT record) carries a
 * source's opaque marker ({@link io.sluice.api.MarkedTransaction}); it takes effect with its
 * transaction's COMMIT and the newest committed one per owner is what the channel reports.
 * A pointer names a PUT record: {@code segmentId << 32 | offset} (offset unsigned, from the start
 * of the file). All records of one transaction are contiguous, in one segment, and end with its
 * COMMIT record: the writer only writes a transaction when it commits, so an uncommitted put never
 * reaches the disk. {@code commitSeq} orders transactions across data directories. ROLLBACK is
 * reserved: the reader ends the transaction without effect, the current writer never writes it.
 * A record whose length, type or checksum is wrong ends the readable part of its segment.
 *
 * <h2>Checkpoint file</h2>
 * {@code checkpoint} in the checkpoint directory (and the backup directory), replaced atomically:
 * <pre>
 *   int  magic      0x534C4350 ("SLCP")
 *   int  version    2 (or 1: ends after the queue, no markers)
 *   long createdMillis
 *   long lastCommitSeq   every transaction with a commitSeq up to this is reflected
 *   long nextTxId
 *   int  dirCount, dirCount x (int segmentId, long offset)   where replay starts in each data dir
 *   int  queueSize, queueSize x long pointer                   live events, head first
 *   int  markerCount, markerCount x (short ownerLength, UTF-8 owner, int markerLength, marker)
 *                                                              newest marker per owner (version 2)
 *   int  crc32c     of every byte before it
 * </pre>
 */
public final class LogFormat {
    public static final int VERSION = 2;
    /** The oldest version this code still reads. */
    public static final int OLDEST_READABLE_VERSION = 1;

    public static final int SEGMENT_MAGIC = 0x534C574C;
    public static final int SEGMENT_HEADER_SIZE = 28;

    public static final int CHECKPOINT_MAGIC = 0x534C4350;
    public static final String CHECKPOINT_FILE = "checkpoint";
    public static final String CHECKPOINT_TEMP_FILE = "checkpoint.tmp";
    public static final String LOCK_FILE = "in_use.lock";

    public static final byte PUT = 1;
    public static final byte TAKE = 2;
    public static final byte COMMIT = 3;
    public static final byte ROLLBACK = 4;
    public static final byte MARKER = 5;

    /** length + crc. */
    public static final int RECORD_PREFIX = 8;
    /** type + txId. */
    public static final int RECORD_HEADER = 9;
    public static final int COMMIT_RECORD_SIZE = RECORD_PREFIX + RECORD_HEADER + 16;
    /** Upper bound for one record's length field; larger values are treated as corruption. */
    public static final int MAX_RECORD_LENGTH = 256 * 1024 * 1024;

    private LogFormat() {
    }

    /** Whether {@code type} is a record type this version knows. */
    public static boolean knownType(byte type) {
        return type >= PUT && type <= MARKER;
    }

    /** Whether files of format {@code version} can be read. */
    public static boolean readable(int version) {
        return version >= OLDEST_READABLE_VERSION && version <= VERSION;
    }

    public static String segmentFileName(int segmentId) {
        return String.format("segment-%010d.wal", segmentId);
    }

    /** The segment id of a file name, or -1 when it is not a segment file. */
    public static int segmentIdOf(String fileName) {
        if (!fileName.startsWith("segment-") || !fileName.endsWith(".wal") || fileName.length() != 22) {
            return -1;
        }
        try {
            return Integer.parseInt(fileName.substring(8, 18));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public static long pointer(int segmentId, long offset) {
        return ((long) segmentId << 32) | (offset & 0xFFFFFFFFL);
    }

    public static int segmentOf(long pointer) {
        return (int) (pointer >>> 32);
    }

    public static long offsetOf(long pointer) {
        return pointer & 0xFFFFFFFFL;
    }

    public static String typeName(byte type) {
        switch (type) {
            case PUT: return "PUT";
            case TAKE: return "TAKE";
            case COMMIT: return "COMMIT";
            case ROLLBACK: return "ROLLBACK";
            case MARKER: return "MARKER";
            default: return "UNKNOWN(" + type + ")";
        }
    }
}
