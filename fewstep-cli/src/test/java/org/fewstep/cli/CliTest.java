package org.fewstep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.fewstep.core.NdArray;
import org.fewstep.core.io.Npy;
import org.fewstep.diffusion.Diffusion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command line end to end: outputs (PNG grid, scatter plot, NPY), reproducibility, the
 * meaning of --init, exit code 2 with a message for every kind of bad input, list and bench.
 */
class CliTest {
  @TempDir
  Path dir;

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }

  @Test
  void sampleWritesAnImageGridAndReportsNfe() throws IOException {
    Path png = dir.resolve("s.png");
    CliRun r = run("sample", "--model", "digits:per-class=5", "-n", "4", "--steps", "3", "--out", png.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("4 samples of digits:per-class=5 with dpmpp: 3 steps, NFE 3");
    BufferedImage image = ImageIO.read(png.toFile());
    // 2 x 2 tiles of 28 x 3 pixels with 2-pixel borders
    assertThat(image.getWidth()).isEqualTo(2 * (84 + 2) + 2);
    assertThat(image.getHeight()).isEqualTo(2 * (84 + 2) + 2);
  }

  @Test
  void fkcSamplesAProductOfClassesGivenAsLabelsAPlusB() {
    // gmm-2d classes 0 and 1: N((1.5, 0), 0.1^2) x N((1.06, 1.06), 0.1^2) = N((1.28, 0.53), 0.1^2 / 2)
    Path out = dir.resolve("product.npy");
    CliRun r = run("sample", "--model", "gmm-2d", "--labels", "0+1", "--sampler", "fkc", "--steps", "200", "-n", "512",
        "--out", out.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    double[] x = Npy.read(out).data();
    double mx = 0;
    double my = 0;
    for (int i = 0; i < 512; i++) {
      mx += x[2 * i] / 512;
      my += x[2 * i + 1] / 512;
    }
    assertThat(mx).isCloseTo(1.28, org.assertj.core.api.Assertions.within(0.06));
    assertThat(my).isCloseTo(0.53, org.assertj.core.api.Assertions.within(0.06));
    CliRun bad = run("sample", "--model", "gmm-2d", "--labels", "0+x", "--sampler", "fkc", "-q");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("--labels").contains("0+x");
  }

  @Test
  void npyOutputIsReproducibleAndInitIsTheStandardNormalNoise() throws IOException {
    Path a = dir.resolve("a.npy");
    Path b = dir.resolve("b.npy");
    Path c = dir.resolve("c.npy");
    String[] common = {"sample", "--model", "gmm-64d", "--sampler", "ddim:eta=1", "-n", "5", "--steps", "6", "-q"};
    assertThat(run(concat(common, "--seed", "3", "--out", a.toString())).code()).isZero();
    assertThat(run(concat(common, "--seed", "3", "--out", b.toString())).code()).isZero();
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    NdArray samples = Npy.read(a);
    assertThat(samples.shape()).containsExactly(5, 64);
    // --init with the prior's own noise (VP schedule: prior scale 1) reproduces the seeded run
    Path init = dir.resolve("z.npy");
    Npy.write(init, Diffusion.prior(Diffusion.model("gmm-64d"), 5, 3), Npy.DType.FLOAT64);
    assertThat(run(concat(common, "--seed", "3", "--init", init.toString(), "--out", c.toString())).code()).isZero();
    assertThat(Files.readAllBytes(c)).isEqualTo(Files.readAllBytes(a));
    assertThat(run(concat(common, "--seed", "4", "--out", c.toString())).code()).isZero();
    assertThat(Files.readAllBytes(c)).isNotEqualTo(Files.readAllBytes(a));
  }

  @Test
  void vectorModelsGetAScatterPlotAndGuidanceWorks() throws IOException {
    Path png = dir.resolve("g.png");
    CliRun r = run("sample", "--model", "gmm-2d", "--guidance", "2", "--labels", "3", "-n", "20", "--out", png.toString(), "-q");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(ImageIO.read(png.toFile()).getWidth()).isEqualTo(700);
  }

  @Test
  void emsOfAnotherModelOrGuidanceAreRefused() throws IOException {
    Path ems = dir.resolve("ems-2d.json");
    CliRun tuned = run("tune", "diffusion", "--model", "gmm-2d", "--method", "ems", "--statistics-steps", "100", "--ems-samples",
        "64", "--out", ems.toString());
    assertThat(tuned.code()).as(tuned.err()).isZero();
    Path json = dir.resolve("other-2d.json");
    Files.writeString(json, "{\"weights\": [1], \"means\": [[0, 0]], \"stds\": [[1, 1]]}");
    // same dimension, another model: the statistics would fit without a sign
    CliRun other = run("sample", "--model", "gmm:" + json, "--sampler", "teleport:gmm-2d,skip-to=2,base=dpmv3:ems=" + ems,
        "-n", "4", "--out", dir.resolve("x.npy").toString());
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("model = gmm-2d: expected gmm:" + json);
    CliRun guided = run("sample", "--model", "gmm-2d", "--guidance", "2", "--sampler", "dpmv3:ems=" + ems, "-n", "4", "--out",
        dir.resolve("y.npy").toString());
    assertThat(guided.code()).isEqualTo(2);
    assertThat(guided.err()).contains("guidance = none: expected 2.0");
    CliRun same = run("sample", "--model", "gmm-2d", "--sampler", "dpmv3:ems=" + ems, "-n", "4", "--out",
        dir.resolve("z.npy").toString());
    assertThat(same.code()).as(same.err()).isZero();
  }

  @Test
  void badInputExitsWithCode2AndAMessage() throws IOException {
    Path bad = dir.resolve("bad.npy");
    Npy.write(bad, NdArray.zeros(3, 5), Npy.DType.FLOAT32);
    Path nan = dir.resolve("nan.npy");
    NdArray withNan = NdArray.zeros(2, 2);
    withNan.data()[1] = Double.NaN;
    Npy.write(nan, withNan, Npy.DType.FLOAT64);
    Path json = dir.resolve("m.json");
    Files.writeString(json, "{\"weights\": [1], \"means\": [[0, 0]], \"stds\": [[1, 1]]}");
    Path broken = dir.resolve("broken.json");
    Files.writeString(broken, "{\"weights\": [1], \"means\": [[0, 0]]");
    List<String[]> cases = List.of(
        new String[] {"steps = 0", "sample", "--steps", "0"},
        new String[] {"unknown sampler 'dpmp'", "sample", "--sampler", "dpmp"},
        new String[] {"unknown option 'ordr'", "sample", "--sampler", "unipc:ordr=2"},
        new String[] {"unknown model 'mnist'", "sample", "--model", "mnist"},
        new String[] {"shape = [3, 5]: expected [n, 1, 28, 28]", "sample", "--init", bad.toString()},
        new String[] {"has 3 rows but -n = 4", "sample", "--model", "digits:per-class=2", "--init",
            dir.resolve("ok.npy").toString(), "-n", "4"},
        new String[] {"does not exist", "sample", "--init", dir.resolve("missing.npy").toString()},
        new String[] {"start batch element 1 = NaN", "sample", "--model", "gmm-2d", "--init", nan.toString()},
        new String[] {"expected a file name ending in .png or .npy", "sample", "--out", "x.jpg"},
        new String[] {"has no class labels", "sample", "--model", "gmm:" + json, "--guidance", "3"},
        new String[] {"malformed JSON", "sample", "--model", "gmm:" + broken},
        new String[] {"--labels = 1,2: expected one label, 16 labels", "sample", "--labels", "1,2"},
        new String[] {"label[0] = 12: expected a class in [0, 9]", "sample", "--labels", "12"},
        new String[] {"time grid is not monotone", "sample", "--times", "1,0.5,0.6"},
        new String[] {"Unknown option: '--bogus'", "sample", "--bogus"},
        new String[] {"--steps = 4,x", "bench", "diffusion", "--steps", "4,x"},
        new String[] {"kind = things", "list", "things"});
    Npy.write(dir.resolve("ok.npy"), NdArray.zeros(3, 1, 28, 28), Npy.DType.FLOAT32);
    for (String[] c : cases) {
      String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
      CliRun r = run(args);
      assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
      assertThat(r.err()).as(String.join(" ", args)).contains(c[0]);
    }
  }

  @Test
  void listShowsEveryComponentWithItsPaper() {
    CliRun r = run("list");
    assertThat(r.code()).isZero();
    for (var c : Diffusion.samplers().components()) {
      assertThat(r.out()).contains(c.name() + " - ").contains(c.reference());
    }
    assertThat(r.out()).contains("== models ==").contains("digits").contains("== schedules ==").contains("vp-discrete");
    assertThat(run("list", "samplers").out()).doesNotContain("== models ==");
  }

  @Test
  void benchDiffusionWritesTableCsvAndPlot() throws IOException {
    Path csv = dir.resolve("b.csv");
    Path png = dir.resolve("b.png");
    CliRun r = run("bench", "diffusion", "--model", "gmm-2d", "--samplers", "ddim;dpmpp:order=3", "--steps", "2,4,16", "-n", "8",
        "--csv", csv.toString(), "--plot", png.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("| ddim").contains("| dpmpp:order=3");
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines.get(0)).isEqualTo("sampler,steps,nfe,rmse,seconds");
    assertThat(lines).hasSize(1 + 3 + 2); // dpmpp:order=3 cannot take 2 steps
    double coarse = Double.parseDouble(lines.get(1).split(",")[3]);
    double fine = Double.parseDouble(lines.get(3).split(",")[3]);
    assertThat(fine).isLessThan(coarse / 4);
    assertThat(ImageIO.read(png.toFile())).isNotNull();
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
