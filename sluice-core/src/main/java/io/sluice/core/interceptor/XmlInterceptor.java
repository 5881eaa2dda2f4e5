package io.sluice.core.interceptor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpression;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses the body as XML with the JDK's parser and copies the string values of XPath 1.0
 * expressions (e.g. {@code /order/@id}, {@code /order/customer/name}) into headers; an expression
 * that selects nothing sets no header. Namespaces are not processed, so write element names as
 * they appear, prefix included.
 *
 * <p>Hardened against hostile bodies: a document type declaration is refused (so no DTD, no
 * external or internal entity, no billion laughs), external DTDs and schemas are never loaded,
 * external entities are off and XInclude is off. A body that is not well-formed XML, or that has a
 * DOCTYPE, is handled by {@code onError}.
 *
 * <p>Thread-safe: each thread uses its own parser and compiled expressions.
 */
public final class XmlInterceptor extends BodyParsingInterceptor {
    private static final ErrorHandler QUIET = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private final Map<String, String> expressions;
    private final ThreadLocal<Parser> parsers;

    /** One thread's parser and compiled expressions. */
    private record Parser(DocumentBuilder builder, Map<String, XPathExpression> xpaths) {
    }

    XmlInterceptor(String label, OnError onError, Map<String, String> expressions) {
        super(label, onError);
        this.expressions = Map.copyOf(expressions);
        this.parsers = ThreadLocal.withInitial(this::newParser);
    }

    private Parser newParser() {
        try {
            Map<String, XPathExpression> xpaths = new LinkedHashMap<>();
            XPath xpath = XPathFactory.newInstance().newXPath();
            for (Map.Entry<String, String> e : expressions.entrySet()) {
                xpaths.put(e.getKey(), xpath.compile(e.getValue()));
            }
            DocumentBuilder b = hardenedFactory().newDocumentBuilder();
            b.setErrorHandler(QUIET);
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entity " + systemId + " refused");
            });
            return new Parser(b, xpaths);
        } catch (ParserConfigurationException | XPathExpressionException e) {
            throw new IllegalStateException("[" + label() + "] cannot set up the XML parser: " + e, e);
        }
    }

    /** The JDK's DOM parser with DOCTYPEs refused and every external access off. */
    static DocumentBuilderFactory hardenedFactory() throws ParserConfigurationException {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        f.setNamespaceAware(false);
        f.setValidating(false);
        return f;
    }

    @Override
    protected Map<String, String> parse(Event event) throws ParseException {
        Parser p = parsers.get();
        Document doc;
        try (InputStream in = new ByteArrayInputStream(event.body())) {
            p.builder().reset();
            p.builder().setErrorHandler(QUIET);
            doc = p.builder().parse(new InputSource(in));
        } catch (SAXParseException e) {
            throw new ParseException("body is not well-formed XML: " + e.getMessage() + " (line " + e.getLineNumber()
                    + ", column " + e.getColumnNumber() + ")");
        } catch (SAXException | IOException e) {
            throw new ParseException("body is not well-formed XML: " + e.getMessage());
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, XPathExpression> e : p.xpaths().entrySet()) {
            try {
                Node n = (Node) e.getValue().evaluate(doc, XPathConstants.NODE);
                if (n != null) {
                    out.put(e.getKey(), n.getTextContent());
                }
            } catch (XPathExpressionException x) {
                // not a node-set (e.g. count(...)): take its string value
                try {
                    out.put(e.getKey(), e.getValue().evaluate(doc));
                } catch (XPathExpressionException y) {
                    throw new ParseException("XPath of header " + e.getKey() + " failed: " + y.getMessage());
                }
            }
        }
        return out;
    }

    /**
     * {@code xml}. Keys: {@code headers.<header> = <XPath>} (one or more) and {@code onError}
     * ({@code pass}).
     */
    public static final class Factory extends InterceptorFactory {
        public static final ConfigKey<String> HEADERS = ConfigKey.stringKey("headers.", null,
                "headers.<header> = an XPath 1.0 expression such as /order/@id: its string value becomes that header.");

        private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.INTERCEPTOR,
                        "xml")
                .keys(HEADERS, ON_ERROR)
                .description("Parses the body as XML (no DTDs, no external entities) and copies XPath values into"
                        + " headers.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public XmlInterceptor create(ComponentContext context) {
            OnError onError = onError(context);
            Map<String, String> raw = context.subProperties(HEADERS.name());
            if (raw.isEmpty()) {
                context.problem(HEADERS.name() + "<header>", null, "no header is configured, so the interceptor"
                        + " would do nothing", "add e.g. headers.orderId = /order/@id");
                return null;
            }
            Map<String, String> expressions = new LinkedHashMap<>();
            XPath xpath = XPathFactory.newInstance().newXPath();
            boolean ok = true;
            for (Map.Entry<String, String> e : raw.entrySet()) {
                try {
                    xpath.compile(e.getValue().trim());
                    expressions.put(e.getKey(), e.getValue().trim());
                } catch (XPathExpressionException x) {
                    context.problem(HEADERS.name() + e.getKey(), e.getValue(), "is not an XPath 1.0 expression: "
                            + (x.getCause() != null ? x.getCause().getMessage() : x.getMessage()),
                            "write an XPath such as /order/@id or /order/customer/name");
                    ok = false;
                }
            }
            return ok ? new XmlInterceptor(context.label(), onError, expressions) : null;
        }
    }
}
