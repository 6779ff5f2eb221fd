package dev.microbatch.ui;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The page's files, all from the classpath (no CDN: the page works on a closed network): the page
 * itself at {@code /}, its script and style, and uPlot from its WebJar.
 */
final class PageFiles {
  private static final String PAGE = "/dev/microbatch/ui/page/";
  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";
  private static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {PAGE + "index.html", "text/html; charset=utf-8"},
          "/index.html", new String[] {PAGE + "index.html", "text/html; charset=utf-8"},
          "/static/app.js", new String[] {PAGE + "app.js", "text/javascript; charset=utf-8"},
          "/static/app.css", new String[] {PAGE + "app.css", "text/css; charset=utf-8"},
          "/static/uPlot.iife.min.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
          "/static/uPlot.min.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"});

  private PageFiles() {}

  static boolean serves(String path) {
    return FILES.containsKey(path);
  }

  static HttpReply get(String path) throws IOException {
    String[] file = FILES.get(path);
    try (InputStream in = PageFiles.class.getResourceAsStream(file[0])) {
      if (in == null) {
        throw new IOException("The UI's file " + file[0] + " is missing from the classpath");
      }
      return new HttpReply(200, file[1], in.readAllBytes());
    }
  }
}
