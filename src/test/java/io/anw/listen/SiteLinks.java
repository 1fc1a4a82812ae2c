package io.anw.listen;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Checks a static site: every href and src of every page resolves to a file inside it. */
public final class SiteLinks {
  private static final Pattern LINK = Pattern.compile("(?:href|src)=\"([^\"]*)\"");

  private SiteLinks() {}

  /** The links of the site's pages that do not resolve, or that leave it (as page: link). */
  public static List<String> broken(Path site) throws IOException {
    List<String> out = new ArrayList<>();
    List<Path> pages;
    try (Stream<Path> s = Files.walk(site)) {
      pages = s.filter(p -> p.toString().endsWith(".html")).toList();
    }
    for (Path page : pages) {
      Matcher m = LINK.matcher(Files.readString(page));
      while (m.find()) {
        String link = m.group(1);
        URI uri = URI.create(link.replace(" ", "%20"));
        if (uri.getScheme() != null || link.startsWith("//")) {
          out.add(site.relativize(page) + ": " + link + " (leaves the site)");
          continue;
        }
        String path = uri.getPath();
        if (path == null || path.isEmpty()) {
          continue; // an anchor on the same page
        }
        Path target = page.getParent().resolve(path).normalize();
        if (!target.startsWith(site.normalize()) || !Files.isRegularFile(target)) {
          out.add(site.relativize(page) + ": " + link);
        }
      }
    }
    return out;
  }

  /** The number of links checked on a page of the site. */
  public static int count(Path page) throws IOException {
    Matcher m = LINK.matcher(Files.readString(page));
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
