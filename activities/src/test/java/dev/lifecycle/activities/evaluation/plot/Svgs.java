package dev.lifecycle.activities.evaluation.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Reads SVG documents in tests: parsing proves them well-formed XML in the SVG namespace. */
public final class Svgs {
  private Svgs() {}

  private static final String SVG_NS = "http://www.w3.org/2000/svg";

  /** Parses with the JDK's XML parser, which rejects anything that is not well-formed. */
  public static Document parse(String svg) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc =
        factory
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    Element root = doc.getDocumentElement();
    assertEquals("svg", root.getLocalName());
    assertEquals(SVG_NS, root.getNamespaceURI());
    assertTrue(root.getAttribute("viewBox").startsWith("0 0 "), root.getAttribute("viewBox"));
    return doc;
  }

  public static List<Element> withClass(Document doc, String element, String cssClass) {
    NodeList nodes = doc.getElementsByTagNameNS(SVG_NS, element);
    List<Element> found = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      Element e = (Element) nodes.item(i);
      if (e.getAttribute("class").equals(cssClass)) {
        found.add(e);
      }
    }
    return found;
  }

  public static List<String> texts(Document doc) {
    NodeList nodes = doc.getElementsByTagNameNS(SVG_NS, "text");
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      texts.add(nodes.item(i).getTextContent());
    }
    return texts;
  }
}
