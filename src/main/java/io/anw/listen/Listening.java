package io.anw.listen;

import io.anw.audio.Clip;
import io.anw.audio.WavFile;
import io.anw.report.RichOutput;
import java.awt.image.BufferedImage;
import java.util.Base64;
import java.util.Map;

/**
 * One clip that drives a unit, ready to listen to: the excerpt around the strongest token, the
 * focused version (the token's band and span emphasised), and the clip's spectrogram with the
 * unit's activation over the token grid. In a notebook: two players and the picture.
 *
 * @param entry the clip, its activation and the token's place
 * @param excerpt the token's span with context, faded
 * @param focused the excerpt with the token's time–frequency region emphasised
 * @param picture the log-mel with the activation overlay (null if none was made)
 */
public record Listening(TopEntry entry, Clip excerpt, Clip focused, BufferedImage picture)
    implements RichOutput.Rich {
  @Override
  public Map<String, String> mimeBundle() {
    return Map.of("text/html", html(), "text/plain", toString());
  }

  /** The HTML figure, assets embedded as data URLs. */
  String html() {
    StringBuilder sb = new StringBuilder("<figure class=\"listening\"><figcaption>")
        .append(RichOutput.escape(entry.toString())).append("</figcaption>");
    sb.append("<div>excerpt <audio controls preload=\"none\" src=\"data:audio/wav;base64,")
        .append(Base64.getEncoder().encodeToString(WavFile.bytes(excerpt)))
        .append("\"></audio> focused <audio controls preload=\"none\" "
            + "src=\"data:audio/wav;base64,")
        .append(Base64.getEncoder().encodeToString(WavFile.bytes(focused)))
        .append("\"></audio></div>");
    if (picture != null) {
      sb.append("<img alt=\"spectrogram with activation\" src=\"data:image/png;base64,")
          .append(RichOutput.base64(RichOutput.pngBytes(picture))).append("\">");
    }
    return sb.append("</figure>").toString();
  }

  @Override
  public String toString() {
    return entry + String.format(java.util.Locale.ROOT, " (excerpt %.2f s, focused %.2f s)",
        excerpt.seconds(), focused.seconds());
  }
}
