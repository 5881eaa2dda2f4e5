package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import io.sluice.core.source.http.HttpEventDecoder;
import io.sluice.core.source.http.MalformedRequestException;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.lang.reflect.Proxy;
import java.nio.charset.Charset;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.servlet.ReadListener;
import javax.servlet.ServletInputStream;
import javax.servlet.http.HttpServletRequest;
import org.apache.flume.source.http.HTTPBadRequestException;
import org.apache.flume.source.http.HTTPSourceHandler;

import static java.util.Objects.requireNonNull;

/**
 * A Flume {@code HTTPSourceHandler} as the decoder of Sluice's {@code http} source. The handler
 * gets an {@code HttpServletRequest} over the request Sluice already read: the body
 * ({@code getInputStream}, {@code getReader}), its character encoding, content type and length,
 * the headers, and the method {@code POST}. Anything else of the servlet API (sessions, the URL,
 * parameters beyond none, ...) throws {@link UnsupportedOperationException} naming the method.
 * Flume's {@code HTTPBadRequestException} answers 400 like Sluice's own decoders. Thread-safe as
 * far as the handler is (Flume requires it to be).
 */
final class HttpHandlerAdapter implements HttpEventDecoder {
    private final HTTPSourceHandler handler;

    HttpHandlerAdapter(HTTPSourceHandler handler) {
        this.handler = requireNonNull(handler, "handler is null");
    }

    @Override
    public List<Event> decode(byte[] body, Charset charset, Map<String, String> httpHeaders)
            throws MalformedRequestException {
        HttpServletRequest request = request(body, charset, httpHeaders);
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(handler.getClass().getClassLoader());
        try {
            List<org.apache.flume.Event> events = handler.getEvents(request);
            return events == null ? List.of() : Events.toSluice(events);
        } catch (HTTPBadRequestException e) {
            throw new MalformedRequestException(e.getMessage());
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Flume HTTP handler " + handler.getClass().getName() + " failed: " + e, e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    static HttpServletRequest request(byte[] body, Charset charset, Map<String, String> headers) {
        return (HttpServletRequest) Proxy.newProxyInstance(HttpHandlerAdapter.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getInputStream":
                            return new BodyStream(body);
                        case "getReader":
                            return new BufferedReader(new InputStreamReader(new ByteArrayInputStream(body), charset));
                        case "getCharacterEncoding":
                            return charset.name();
                        case "getContentType":
                            return headers.get("content-type");
                        case "getContentLength":
                            return body.length;
                        case "getContentLengthLong":
                            return (long) body.length;
                        case "getMethod":
                            return "POST";
                        case "getHeader":
                            return headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                        case "getHeaders": {
                            String v = headers.get(((String) args[0]).toLowerCase(Locale.ROOT));
                            return Collections.enumeration(v == null ? List.of() : List.of(v));
                        }
                        case "getHeaderNames":
                            return Collections.enumeration(headers.keySet());
                        case "getParameter":
                        case "getAttribute":
                            return null;
                        case "getParameterMap":
                            return Map.of();
                        case "getParameterNames":
                        case "getAttributeNames":
                            return Collections.emptyEnumeration();
                        case "toString":
                            return "HttpServletRequest[POST, " + body.length + " bytes]";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException("HttpServletRequest." + method.getName()
                                    + " is not available to Flume HTTP handlers run by Sluice");
                    }
                });
    }

    /** The request body as a servlet input stream. Not thread-safe. */
    private static final class BodyStream extends ServletInputStream {
        private final ByteArrayInputStream in;

        BodyStream(byte[] body) {
            this.in = new ByteArrayInputStream(body);
        }

        @Override
        public int read() {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
            return in.available() == 0;
        }

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
            throw new UnsupportedOperationException("the request body was read already; read it directly");
        }
    }
}
