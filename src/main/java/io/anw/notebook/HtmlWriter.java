package io.anw.notebook;

import io.anw.AtomicFile;
import io.anw.report.RichOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Heading;
import org.commonmark.node.Node;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * Renders an executed notebook as one self-contained HTML file: inline CSS, images as base64
 * data URIs, markdown by commonmark (GFM tables, heading anchors), highlighted code, a
 * provenance header and a table of contents from the headings. Needs no network to view.
 */
public final class HtmlWriter {
  private static final List<Extension> EXTENSIONS =
      List.of(TablesExtension.create(), HeadingAnchorExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer RENDERER =
      HtmlRenderer.builder().extensions(EXTENSIONS).build(); // raw HTML kept: <details> folds answers

  private HtmlWriter() {}

  /** Writes the notebook to {@code out} atomically. */
  public static Path write(ExecutedNotebook nb, Path out) {
    return AtomicFile.write(out, render(nb).getBytes(StandardCharsets.UTF_8));
  }

  /** The HTML document. */
  public static String render(ExecutedNotebook nb) {
    StringBuilder body = new StringBuilder();
    List<String[]> toc = new ArrayList<>(); // level, text
    for (ExecutedCell c : nb.cells()) {
      if (c.cell().kind() == Cell.Kind.MARKDOWN) {
        Node doc = PARSER.parse(c.cell().source());
        collectHeadings(doc, toc);
        body.append("<section class=\"md\">").append(RENDERER.render(doc)).append("</section>\n");
      } else {
        body.append(codeCell(c));
      }
    }
    String title = RichOutput.escape(nb.title());
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(title).append("</title><style>").append(CSS)
        .append("</style></head><body><main>\n");
    html.append("<header class=\"prov\"><div class=\"file\">")
        .append(RichOutput.escape(nb.source().toString())).append("</div><dl>");
    for (Map.Entry<String, String> e : nb.provenance().entrySet()) {
      html.append("<dt>").append(RichOutput.escape(e.getKey())).append("</dt><dd>")
          .append(RichOutput.escape(e.getValue())).append("</dd>");
    }
    html.append("</dl></header>\n");
    if (toc.size() > 1) {
      html.append("<nav class=\"toc\"><div class=\"toc-title\">Contents</div><ul>");
      for (String[] h : toc) {
        html.append("<li class=\"l").append(h[0]).append("\"><a href=\"#").append(h[2])
            .append("\">").append(RichOutput.escape(h[1])).append("</a></li>");
      }
      html.append("</ul></nav>\n");
    }
    html.append(body).append("</main></body></html>\n");
    return html.toString();
  }

  private static String codeCell(ExecutedCell c) {
    StringBuilder sb = new StringBuilder();
    sb.append("<section class=\"cell").append(c.failed() ? " failed" : "").append("\">");
    sb.append("<div class=\"prompt\">").append(c.executionCount() > 0
        ? "[" + c.executionCount() + "]" : "[ ]").append("</div>");
    sb.append("<pre class=\"code\"><code>").append(JavaHighlighter.highlight(c.cell().source()))
        .append("</code></pre>");
    for (CellOutput o : c.outputs()) {
      sb.append(output(o));
    }
    if (c.executionCount() > 0) {
      sb.append(String.format("<div class=\"time\">%.2f s</div>", c.seconds()));
    }
    sb.append("</section>\n");
    return sb.toString();
  }

  private static String output(CellOutput o) {
    switch (o.type()) {
      case "stream":
        return "<pre class=\"out " + o.name() + "\">" + RichOutput.escape(o.text()) + "</pre>";
      case "error":
        return "<pre class=\"out error\">" + RichOutput.escape(o.text()) + "</pre>";
      default:
        Map<String, String> d = o.data();
        if (d.containsKey("image/png")) {
          return "<div class=\"out img\"><img alt=\"" + RichOutput.escape(firstLine(o.text()))
              + "\" src=\"data:image/png;base64," + d.get("image/png") + "\"></div>";
        }
        if (d.containsKey("text/html")) {
          return "<div class=\"out html\">" + d.get("text/html") + "</div>";
        }
        return "<pre class=\"out result\">" + RichOutput.escape(o.text()) + "</pre>";
    }
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void collectHeadings(Node doc, List<String[]> toc) {
    doc.accept(new AbstractVisitor() {
      @Override
      public void visit(Heading heading) {
        StringBuilder text = new StringBuilder();
        heading.accept(new AbstractVisitor() {
          @Override
          public void visit(Text t) {
            text.append(t.getLiteral());
          }
        });
        if (heading.getLevel() <= 3) {
          toc.add(new String[] {String.valueOf(heading.getLevel()), text.toString(),
              anchor(text.toString())});
        }
      }
    });
  }

  /** The id commonmark's heading-anchor extension gives a heading (lower case, dashes). */
  static String anchor(String text) {
    return text.toLowerCase().replaceAll("[^\\p{L}\\p{N}\\s_-]", "").strip()
        .replaceAll("\\s+", "-");
  }

  private static final String CSS = String.join("\n",
      "body{margin:0;background:#f6f7f9;color:#1d2330;font:15px/1.55 -apple-system,'Segoe UI',"
          + "Roboto,'Helvetica Neue',Arial,sans-serif}",
      "main{max-width:980px;margin:0 auto;padding:24px 28px 64px;background:#fff;"
          + "box-shadow:0 0 12px rgba(0,0,0,.06);min-height:100vh}",
      "header.prov{font-size:12px;color:#5a6272;border-bottom:1px solid #e3e6ea;"
          + "padding-bottom:8px;margin-bottom:16px}",
      "header.prov .file{font-family:ui-monospace,Menlo,Consolas,monospace;font-weight:600;"
          + "color:#1d2330}",
      "header.prov dl{display:grid;grid-template-columns:max-content 1fr;gap:0 12px;margin:6px 0 0}",
      "header.prov dt{font-weight:600}header.prov dd{margin:0;font-family:ui-monospace,Menlo,"
          + "Consolas,monospace;word-break:break-all}",
      "nav.toc{background:#f1f4f8;border-radius:6px;padding:10px 16px;margin:0 0 18px}",
      "nav.toc .toc-title{font-weight:600;margin-bottom:4px}nav.toc ul{margin:0;padding-left:18px}",
      "nav.toc li.l2{margin-left:14px}nav.toc li.l3{margin-left:28px}",
      "nav.toc a{color:#2456a6;text-decoration:none}",
      "h1,h2,h3{line-height:1.25}h1{font-size:28px}h2{font-size:22px;margin-top:28px}",
      "section.md table{border-collapse:collapse}section.md th,section.md td{border:1px solid "
          + "#d8dde3;padding:3px 8px}",
      "code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}",
      "section.cell{position:relative;margin:14px 0 18px}",
      ".prompt{position:absolute;left:-4px;top:6px;transform:translateX(-100%);color:#8a93a3;"
          + "font:12px ui-monospace,Menlo,Consolas,monospace}",
      "pre.code{background:#f3f5f8;border:1px solid #e1e5ea;border-left:3px solid #4a7fd4;"
          + "border-radius:4px;padding:10px 12px;overflow-x:auto;margin:0}",
      "section.failed pre.code{border-left-color:#d0453d}",
      "pre.out{margin:6px 0 0;padding:6px 12px;white-space:pre-wrap;font:13px/1.45 "
          + "ui-monospace,Menlo,Consolas,monospace;overflow-x:auto}",
      "pre.stderr{color:#9a4a00;background:#fff8ec}pre.error{color:#b3261e;background:#fdeeee;"
          + "border-left:3px solid #d0453d}pre.result{color:#24467a}",
      "div.out{margin:8px 0 0;overflow-x:auto}div.img img{max-width:100%;height:auto;"
          + "border:1px solid #eceff3}",
      "table.dataframe{border-collapse:collapse;font-size:13px}table.dataframe caption{"
          + "text-align:left;font-weight:600;padding:2px 0 4px;white-space:nowrap}",
      "table.dataframe th{background:#eef2f7;border-bottom:2px solid #cfd6df;padding:4px 6px;"
          + "text-align:left}",
      "table.dataframe td{border-bottom:1px solid #eceff3;padding:3px 6px}"
          + "table.dataframe td.num{text-align:right;font-variant-numeric:tabular-nums}",
      "p.more{color:#6b7382;font-size:12px;margin:4px 0}",
      "details{background:#f4f7fb;border:1px solid #dde4ee;border-radius:6px;padding:6px 12px;"
          + "margin:8px 0}summary{cursor:pointer;font-weight:600;color:#2456a6}",
      "figure.clip{margin:6px 0}figure.clip figcaption{font-size:12px;color:#6b7382}",
      ".time{position:absolute;right:6px;top:6px;color:#9aa3b2;font-size:11px}",
      ".k{color:#8250df;font-weight:600}.s{color:#0a7a3f}.c{color:#7a8494;font-style:italic}"
          + ".n{color:#b35900}.t{color:#1f5fb8}.a{color:#a0509a}");
}
