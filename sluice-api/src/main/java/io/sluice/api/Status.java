package io.sluice.api;

/**
 * What a pollable source's or a sink's {@code process()} reports: {@code READY} to be called again
 * at once, {@code BACKOFF} when it had nothing to do and its runner should wait before the next
 * call.
 */
public enum Status { READY, BACKOFF }
