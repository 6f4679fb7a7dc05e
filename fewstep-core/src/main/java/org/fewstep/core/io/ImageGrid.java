package org.fewstep.core.io;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;

/**
 * Writes a batch of images as one PNG grid. Images are {@code [n, h, w]} (grey),
 * {@code [n, 1, h, w]} (grey) or {@code [n, 3, h, w]} (RGB, channels first as in PyTorch). Values in
 * {@code [low, high]} map to 0..255; values outside are shown as black or white (display only: the
 * data are not changed). Tiles are separated by a 2-pixel border and each pixel can be enlarged.
 */
public final class ImageGrid {
  private static final int BORDER = 2;

  private ImageGrid() {}

  /**
   * Renders {@code images} into a grid with {@code columns} tiles per row (0 = about square) and
   * each pixel drawn as a {@code scale x scale} block.
   */
  public static BufferedImage render(NdArray images, double low, double high, int columns, int scale) {
    int[] shape = images.shape();
    int channels;
    int h;
    int w;
    if (shape.length == 3) {
      channels = 1;
      h = shape[1];
      w = shape[2];
    } else if (shape.length == 4 && (shape[1] == 1 || shape[1] == 3)) {
      channels = shape[1];
      h = shape[2];
      w = shape[3];
    } else {
      throw BadInputException.of("image batch shape", NdArray.shapeText(shape), "[n, h, w], [n, 1, h, w] or [n, 3, h, w]");
    }
    if (!(high > low)) {
      throw BadInputException.of("pixel range", "[" + low + ", " + high + "]", "low < high");
    }
    BadInputException.requireAtLeast("scale", scale, 1);
    int n = shape[0];
    BadInputException.requireAtLeast("number of images", n, 1);
    int cols = columns > 0 ? Math.min(columns, n) : (int) Math.ceil(Math.sqrt(n));
    int rows = (n + cols - 1) / cols;
    int tileW = w * scale;
    int tileH = h * scale;
    BufferedImage image = new BufferedImage(
        cols * (tileW + BORDER) + BORDER, rows * (tileH + BORDER) + BORDER, BufferedImage.TYPE_INT_RGB);
    double[] data = images.data();
    int plane = h * w;
    for (int k = 0; k < n; k++) {
      int x0 = BORDER + (k % cols) * (tileW + BORDER);
      int y0 = BORDER + (k / cols) * (tileH + BORDER);
      int base = k * channels * plane;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb;
          if (channels == 1) {
            int v = toByte(data[base + y * w + x], low, high);
            rgb = (v << 16) | (v << 8) | v;
          } else {
            int r = toByte(data[base + y * w + x], low, high);
            int g = toByte(data[base + plane + y * w + x], low, high);
            int b = toByte(data[base + 2 * plane + y * w + x], low, high);
            rgb = (r << 16) | (g << 8) | b;
          }
          for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
              image.setRGB(x0 + x * scale + dx, y0 + y * scale + dy, rgb);
            }
          }
        }
      }
    }
    return image;
  }

  /** Renders and writes the grid as PNG. */
  public static void write(Path file, NdArray images, double low, double high, int columns, int scale) {
    BufferedImage image = render(images, low, high, columns, scale);
    try {
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new IllegalStateException("no PNG writer available");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static int toByte(double value, double low, double high) {
    if (Double.isNaN(value)) {
      return 0;
    }
    double v = (value - low) / (high - low) * 255.0;
    return (int) Math.round(Math.max(0.0, Math.min(255.0, v)));
  }
}
