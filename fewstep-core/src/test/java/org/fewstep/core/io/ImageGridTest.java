package org.fewstep.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of {@link ImageGrid}. Oracle: the grid geometry worked out by hand (2-pixel borders, tiles
 * of {@code w*scale x h*scale}) and grey levels worked out by hand for values in [low, high] = [-1, 1]
 * (low -> 0, high -> 255, midpoint 127.5 -> 128, outside -> clipped, NaN -> 0); the PNG is read back
 * with ImageIO.
 */
class ImageGridTest {

  /** Values used in the grey batch and their grey levels on [-1, 1], computed by hand. */
  private static final double[] VALUES = {-1, 1, 0, 5, -5, -0.5, 0.5, Double.NaN};
  private static final int[] GREYS = {0, 255, 128, 255, 0, 64, 191, 0}; // 63.75 -> 64, 191.25 -> 191

  /** [4, 2, 3] batch: image k, pixel (y, x) holds VALUES[(k + 3y + x) % 8]. */
  private static NdArray greyBatch() {
    double[] data = new double[4 * 2 * 3];
    for (int k = 0; k < 4; k++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 3; x++) {
          data[k * 6 + y * 3 + x] = VALUES[(k + 3 * y + x) % 8];
        }
      }
    }
    return NdArray.of(data, 4, 2, 3);
  }

  @Test
  void greyGridHasExpectedSizeAndPixels() {
    BufferedImage image = ImageGrid.render(greyBatch(), -1, 1, 2, 2);
    // 2 columns of 3*2 px + 3 borders of 2 px; 2 rows of 2*2 px + 3 borders
    assertThat(image.getWidth()).isEqualTo(2 * 6 + 3 * 2);
    assertThat(image.getHeight()).isEqualTo(2 * 4 + 3 * 2);
    // every canvas pixel: inside tile k = (row, col) -> the hand-computed grey, else border black
    for (int py = 0; py < image.getHeight(); py++) {
      for (int px = 0; px < image.getWidth(); px++) {
        int expected = 0;
        int col = (px - 2) / 8;
        int row = (py - 2) / 6;
        int tx = (px - 2) % 8;
        int ty = (py - 2) % 6;
        if (px >= 2 && py >= 2 && tx < 6 && ty < 4) {
          int k = row * 2 + col;
          expected = GREYS[(k + 3 * (ty / 2) + tx / 2) % 8];
        }
        int rgb = image.getRGB(px, py) & 0xffffff;
        assertThat(rgb).as("pixel (%d, %d)", px, py).isEqualTo(expected << 16 | expected << 8 | expected);
      }
    }
    // a few positions spelled out: image 0 pixel (0,0) = -1 -> black, pixel (0,1) = 1 -> white,
    // pixel (0,2) = 0 -> 128 (both scaled copies), image 3 pixel (0,0) = 5 -> white (clipped)
    assertThat(grey(image, 2, 2)).isZero();
    assertThat(grey(image, 4, 2)).isEqualTo(255);
    assertThat(grey(image, 5, 3)).isEqualTo(255);
    assertThat(grey(image, 6, 2)).isEqualTo(128);
    assertThat(grey(image, 7, 3)).isEqualTo(128);
    assertThat(grey(image, 10, 8)).isEqualTo(255);
  }

  @Test
  void automaticColumnsAreAboutSquareAndColumnsAreCappedByCount() {
    NdArray five = NdArray.of(new double[] {1, 1, 1, 1, 1}, 5, 1, 1);
    BufferedImage auto = ImageGrid.render(five, 0, 1, 0, 1); // ceil(sqrt 5) = 3 columns, 2 rows
    assertThat(auto.getWidth()).isEqualTo(3 * 3 + 2);
    assertThat(auto.getHeight()).isEqualTo(2 * 3 + 2);
    assertThat(grey(auto, 2, 5)).isEqualTo(255); // image 3 (row 1, col 0)
    assertThat(grey(auto, 8, 5)).isZero(); // no sixth image: background

    BufferedImage wide = ImageGrid.render(five, 0, 1, 10, 1); // min(10, 5) = 5 columns
    assertThat(wide.getWidth()).isEqualTo(5 * 3 + 2);
    assertThat(wide.getHeight()).isEqualTo(3 + 2);
  }

  @Test
  void singleChannelFourDimensionalBatchEqualsThreeDimensional() {
    NdArray g3 = greyBatch();
    NdArray g4 = NdArray.of(g3.data(), 4, 1, 2, 3);
    BufferedImage a = ImageGrid.render(g3, -1, 1, 2, 2);
    BufferedImage b = ImageGrid.render(g4, -1, 1, 2, 2);
    assertThat(b.getRGB(0, 0, b.getWidth(), b.getHeight(), null, 0, b.getWidth()))
        .isEqualTo(a.getRGB(0, 0, a.getWidth(), a.getHeight(), null, 0, a.getWidth()));
  }

  /** [1, 3, 2, 2]: channel planes R, G, B (channels first). */
  @Test
  void rgbChannelsAreTakenInOrder() {
    double[] data = {
        1, 0, 0, 0.5, // R plane
        0, 1, 0, 0.5, // G plane
        0, 0, 1, 0.5, // B plane
    };
    BufferedImage image = ImageGrid.render(NdArray.of(data, 1, 3, 2, 2), 0, 1, 1, 1);
    assertThat(image.getWidth()).isEqualTo(2 + 4);
    assertThat(image.getHeight()).isEqualTo(2 + 4);
    assertThat(image.getRGB(2, 2) & 0xffffff).isEqualTo(0xff0000);
    assertThat(image.getRGB(3, 2) & 0xffffff).isEqualTo(0x00ff00);
    assertThat(image.getRGB(2, 3) & 0xffffff).isEqualTo(0x0000ff);
    assertThat(image.getRGB(3, 3) & 0xffffff).isEqualTo(0x808080);
  }

  @Test
  void rejectsBadShapesRangesAndScale() {
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(2, 2), 0, 1, 0, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("[2, 2]").hasMessageContaining("[n, h, w]");
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(1, 2, 2, 2), 0, 1, 0, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("[1, 2, 2, 2]");
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(1, 3, 2, 2, 1), 0, 1, 0, 1))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(1, 2, 2), 1, 1, 0, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("pixel range").hasMessageContaining("low < high");
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(1, 2, 2), 2, 1, 0, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("[2.0, 1.0]");
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(1, 2, 2), 0, Double.NaN, 0, 1))
        .isInstanceOf(BadInputException.class);
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(1, 2, 2), 0, 1, 0, 0))
        .isInstanceOf(BadInputException.class).hasMessageContaining("scale = 0");
    assertThatThrownBy(() -> ImageGrid.render(NdArray.zeros(0, 2, 2), 0, 1, 0, 1))
        .isInstanceOf(BadInputException.class).hasMessageContaining("number of images = 0");
  }

  @Test
  void writesReadablePng(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("grid.png");
    ImageGrid.write(file, greyBatch(), -1, 1, 2, 2);
    byte[] bytes = Files.readAllBytes(file);
    assertThat(bytes).startsWith((byte) 0x89, 'P', 'N', 'G');
    BufferedImage read = ImageIO.read(file.toFile());
    assertThat(read.getWidth()).isEqualTo(18);
    assertThat(read.getHeight()).isEqualTo(14);
    BufferedImage rendered = ImageGrid.render(greyBatch(), -1, 1, 2, 2);
    for (int y = 0; y < 14; y++) {
      for (int x = 0; x < 18; x++) {
        assertThat(read.getRGB(x, y) & 0xffffff).isEqualTo(rendered.getRGB(x, y) & 0xffffff);
      }
    }
  }

  private static int grey(BufferedImage image, int x, int y) {
    int rgb = image.getRGB(x, y);
    int r = rgb >> 16 & 0xff;
    assertThat(rgb & 0xffff).as("grey pixel").isEqualTo(r << 8 | r);
    return r;
  }
}
