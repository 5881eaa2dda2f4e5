/**
 * The {@code TAILDIR} source: follows the files of one or more file groups (a directory and a
 * regular expression on file names) as they grow, tracks each file by inode and by a fingerprint
 * of its first bytes, survives rename-and-create and copytruncate rotation, and keeps its
 * committed positions in Apache Flume's JSON position file. Everything here runs on the source's
 * one runner thread and is not thread-safe.
 */
package io.sluice.core.source.taildir;
