/**
 * The built-in interceptors, with Apache Flume's type names, keys and defaults: {@code timestamp},
 * {@code host}, {@code static}, {@code remove_header}, {@code search_replace},
 * {@code regex_filter}, {@code regex_extractor} (with its {@code default} and millis
 * serializers) and the UUID interceptor ({@code uuid}); and the body parsers {@code json},
 * {@code csv} and {@code xml}, which copy parts of the body into headers and apply
 * {@code onError = pass | drop | deadLetter} to a body they cannot parse. Each interceptor class holds its factory
 * as a nested {@code Factory}. Interceptors are immutable once built and thread-safe.
 */
package io.sluice.core.interceptor;
