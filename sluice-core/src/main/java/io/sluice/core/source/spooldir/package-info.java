/**
 * The {@code spooldir} source: reads whole files dropped into a directory, turns them into events
 * with a deserializer (lines, whole-file blobs or Avro container records), commits them in batches
 * and then marks each finished file as done (renamed with a suffix, recorded in a tracker
 * directory, or deleted). The position inside the file being read is kept in a durable record
 * after every committed batch, so a crashed agent resumes after the last committed batch. The
 * reader and deserializers are used by the source's one worker thread and are not thread-safe;
 * the source itself is.
 */
package io.sluice.core.source.spooldir;
