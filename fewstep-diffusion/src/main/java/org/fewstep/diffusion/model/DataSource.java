package org.fewstep.diffusion.model;

import java.nio.file.Path;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.fewstep.core.Rng;
import org.fewstep.core.io.Npy;
import org.fewstep.diffusion.Conditioning;
import org.fewstep.diffusion.DiffusionModel;

/** Data sets named on the command line: a {@code .npy} array of samples or a model spec. */
public final class DataSource {
  private DataSource() {}

  /**
   * The samples named by {@code source}, {@code [n, ...]}: a file ending in {@code .npy}; a data set
   * model's items (digits); or {@code draws} exact draws of a Gaussian mixture with {@code Rng(seed)}.
   */
  public static NdArray samples(String source, int draws, long seed) {
    if (source.endsWith(".npy")) {
      NdArray data = Npy.read(Path.of(source));
      if (data.rank() < 2) {
        throw BadInputException.of(source + ": shape", NdArray.shapeText(data.shape()), "[n, ...] (one sample per row)");
      }
      return data;
    }
    DiffusionModel model = Models.registry().create(source);
    if (model instanceof GaussianMixture mixture) {
      BadInputException.requireAtLeast("draws of " + source, draws, 1);
      return NdArray.of(mixture.sample(new Rng(seed), draws, Conditioning.NONE), draws, mixture.dimension());
    }
    if (model instanceof DatasetModel data) {
      int d = data.itemSize();
      double[] all = new double[data.size() * d];
      for (int k = 0; k < data.size(); k++) {
        System.arraycopy(data.item(k), 0, all, k * d, d);
      }
      int[] shape = new int[data.itemShape().length + 1];
      shape[0] = data.size();
      System.arraycopy(data.itemShape(), 0, shape, 1, data.itemShape().length);
      return NdArray.of(all, shape);
    }
    throw BadInputException.of("data", source, "a Gaussian mixture or data set model spec, or a .npy file of samples");
  }
}
