/**
 * The syslog sources: {@code syslogtcp}, {@code multiport_syslogtcp} and {@code syslogudp}. Messages
 * in RFC 5424 and RFC 3164 form are parsed into Apache Flume's headers; TCP streams are framed by
 * newlines or by RFC 6587 octet counting. Parsers and settings are immutable; frame decoders and
 * handlers belong to one connection; the sources themselves are thread-safe.
 */
package io.sluice.core.source.syslog;
