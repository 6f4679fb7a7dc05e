package org.fewstep.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tests of {@link Npy}. Oracle: fixture files written by NumPy itself
 * ({@code src/test/python/make_npy_fixtures.py}, numpy 2.x {@code np.save}; values known from how they
 * were generated, e.g. {@code np.arange}); the writer must produce byte-identical files. A jqwik
 * property checks exact float64 round trips and float32 round trips to {@code (float)} precision.
 */
class NpyTest {

  // ---- reading NumPy's files ---------------------------------------------------------------------

  @Test
  void readsFloat64COrder() {
    NdArray a = Npy.read(fixture("f8_2x3.npy"));
    assertThat(a.shape()).containsExactly(2, 3);
    assertThat(a.data()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  @Test
  void readsFloat64Inexact() {
    NdArray a = Npy.read(fixture("f8_6.npy")); // np.arange(6) * 0.1
    assertThat(a.shape()).containsExactly(6);
    double[] expected = new double[6];
    for (int i = 0; i < 6; i++) {
      expected[i] = i * 0.1;
    }
    assertThat(a.data()).containsExactly(expected);
  }

  @Test
  void readsFloat32() {
    NdArray a = Npy.read(fixture("f4_4.npy")); // [0.5, -1.25, 0.1, 3e38] as float32
    assertThat(a.shape()).containsExactly(4);
    assertThat(a.data()).containsExactly(0.5, -1.25, (double) 0.1f, (double) 3.0e38f);
  }

  @Test
  void readsBigEndianFloat64() {
    NdArray a = Npy.read(fixture("f8be_2x2.npy"));
    assertThat(a.shape()).containsExactly(2, 2);
    assertThat(a.data()).containsExactly(1.5, -2.0, 3.25, 1.0e300);
  }

  /** np.asfortranarray(np.arange(24).reshape(2, 3, 4)): in C order the values are again 0..23. */
  @Test
  void readsFortranOrderAsCOrder() {
    NdArray a = Npy.read(fixture("f8_fortran_2x3x4.npy"));
    assertThat(a.shape()).containsExactly(2, 3, 4);
    double[] expected = new double[24];
    Arrays.setAll(expected, i -> i);
    assertThat(a.data()).containsExactly(expected);
  }

  @Test
  void readsIntegerAndBoolTypes() {
    NdArray u1 = Npy.read(fixture("u1_3x2.npy"));
    assertThat(u1.shape()).containsExactly(3, 2);
    assertThat(u1.data()).containsExactly(0, 1, 127, 128, 254, 255);

    NdArray i8 = Npy.read(fixture("i8_5.npy"));
    assertThat(i8.shape()).containsExactly(5);
    assertThat(i8.data()).containsExactly(-0x1p62, -1, 0, 1, 0x1p53);

    NdArray u8 = Npy.read(fixture("u8_3.npy")); // [0, 2^63, 2^64 - 1]; the last rounds to 2^64
    assertThat(u8.data()).containsExactly(0, 0x1p63, 0x1p64);

    NdArray i2 = Npy.read(fixture("i2be_3.npy")); // '>i2'
    assertThat(i2.data()).containsExactly(-32768, -2, 32767);

    NdArray b1 = Npy.read(fixture("b1_3.npy"));
    assertThat(b1.shape()).containsExactly(3);
    assertThat(b1.data()).containsExactly(1, 0, 1);
  }

  @Test
  void readsScalarAndEmpty() {
    NdArray scalar = Npy.read(fixture("f8_scalar.npy"));
    assertThat(scalar.shape()).isEmpty();
    assertThat(scalar.data()).containsExactly(3.5);

    NdArray empty = Npy.read(fixture("f8_0x3.npy"));
    assertThat(empty.shape()).containsExactly(0, 3);
    assertThat(empty.size()).isZero();
  }

  @Test
  void readsGzipAndVersion2() {
    NdArray gz = Npy.read(fixture("f8_2x3.npy.gz"));
    assertThat(gz.shape()).containsExactly(2, 3);
    assertThat(gz.data()).containsExactly(0, 1, 2, 3, 4, 5);

    NdArray v2 = Npy.read(fixture("f8_2x3_v2.npy")); // np.lib.format.write_array(..., version=(2, 0))
    assertThat(v2.shape()).containsExactly(2, 3);
    assertThat(v2.data()).containsExactly(0, 1, 2, 3, 4, 5);
  }

  // ---- writing: byte-identical to np.save --------------------------------------------------------

  @Test
  void writesFloat64ByteIdenticalToNumpy(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("a.npy");
    Npy.write(out, NdArray.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3), Npy.DType.FLOAT64);
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(fixture("f8_2x3.npy")));
  }

  @Test
  void writesFloat32ByteIdenticalToNumpy(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("a.npy");
    Npy.write(out, NdArray.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3), Npy.DType.FLOAT32);
    assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(fixture("f4_2x3.npy")));
  }

  @Test
  void writesOtherShapesByteIdenticalToNumpy() throws IOException {
    double[] tenths = new double[6];
    Arrays.setAll(tenths, i -> i * 0.1);
    assertThat(written(NdArray.of(tenths, 6), Npy.DType.FLOAT64)).isEqualTo(Files.readAllBytes(fixture("f8_6.npy")));
    assertThat(written(NdArray.of(new double[] {3.5}), Npy.DType.FLOAT64))
        .isEqualTo(Files.readAllBytes(fixture("f8_scalar.npy")));
    assertThat(written(NdArray.zeros(0, 3), Npy.DType.FLOAT64)).isEqualTo(Files.readAllBytes(fixture("f8_0x3.npy")));
    assertThat(written(NdArray.of(new double[] {0.5, -1.25, 0.1, 3.0e38}, 4), Npy.DType.FLOAT32))
        .isEqualTo(Files.readAllBytes(fixture("f4_4.npy")));
  }

  /** 8200 float32 values (np.arange(8200) - 4100.25): more than the writer's 8192-element buffer. */
  @Test
  void writesLongArraysByteIdenticalToNumpy() throws IOException {
    double[] values = new double[8200];
    Arrays.setAll(values, i -> i - 4100.25);
    byte[] expected;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(fixture("f4_arange8200.npy.gz")))) {
      expected = in.readAllBytes();
    }
    assertThat(written(NdArray.of(values, 8200), Npy.DType.FLOAT32)).isEqualTo(expected);
  }

  // ---- round-trip property -----------------------------------------------------------------------

  /** Random shape (rank 0-4, extents 0-4) and random finite doubles (all bit patterns). */
  @Property(tries = 400, seed = "20261127")
  void roundTripsFloat64ExactlyAndFloat32ToFloatPrecision(@ForAll("arrays") NdArray array) throws IOException {
    byte[] f8 = written(array, Npy.DType.FLOAT64);
    checkHeader(f8, array.size() * 8L);
    NdArray back = Npy.read(new ByteArrayInputStream(f8), "f8");
    assertThat(back.shape()).containsExactly(array.shape());
    for (int i = 0; i < array.size(); i++) {
      assertThat(Double.doubleToRawLongBits(back.data()[i])).isEqualTo(Double.doubleToRawLongBits(array.data()[i]));
    }

    byte[] f4 = written(array, Npy.DType.FLOAT32);
    checkHeader(f4, array.size() * 4L);
    NdArray back4 = Npy.read(new ByteArrayInputStream(f4), "f4");
    assertThat(back4.shape()).containsExactly(array.shape());
    for (int i = 0; i < array.size(); i++) {
      double expected = (float) array.data()[i];
      assertThat(Double.doubleToRawLongBits(back4.data()[i])).isEqualTo(Double.doubleToRawLongBits(expected));
    }
  }

  @Provide
  Arbitrary<NdArray> arrays() {
    Arbitrary<int[]> shapes = Arbitraries.integers().between(0, 4).list().ofMinSize(0).ofMaxSize(4)
        .map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    Arbitrary<Double> element = Arbitraries.oneOf(
        Arbitraries.longs().map(Double::longBitsToDouble).filter(Double::isFinite), // any finite bit pattern
        Arbitraries.doubles().between(-1e6, 1e6),
        Arbitraries.of(0.0, -0.0, Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, 1e-40, 0.1));
    return shapes.flatMap(shape -> element.list().ofSize((int) NdArray.checkedSize(shape))
        .map(values -> NdArray.of(values.stream().mapToDouble(Double::doubleValue).toArray(), shape)));
  }

  /** Header rules of the NPY format: magic, version 1.0, total header a multiple of 64, ends in '\n'. */
  private static void checkHeader(byte[] file, long dataBytes) {
    assertThat(Arrays.copyOf(file, 8)).isEqualTo(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    int headerLength = (file[8] & 0xff) | (file[9] & 0xff) << 8;
    assertThat((10 + headerLength) % 64).isZero();
    assertThat(file[10 + headerLength - 1]).isEqualTo((byte) '\n');
    assertThat((long) file.length).isEqualTo(10 + headerLength + dataBytes);
  }

  // ---- malformed input ---------------------------------------------------------------------------

  @Test
  void rejectsWrongMagic() throws IOException {
    byte[] bytes = Files.readAllBytes(fixture("f8_2x3.npy"));
    bytes[1] = 'X';
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(bytes), "bad.npy"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("bad.npy")
        .hasMessageContaining("not an NPY file")
        .hasMessageContaining("magic");
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream("PK\3\4hello world".getBytes(StandardCharsets.ISO_8859_1)), "z.npy"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("magic");
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(new byte[] {(byte) 0x93, 'N'}), "short.npy"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("short.npy")
        .hasMessageContaining("too short");
  }

  @Test
  void rejectsTruncatedData() throws IOException {
    byte[] full = Files.readAllBytes(fixture("f8_2x3.npy"));
    byte[] cut = Arrays.copyOf(full, full.length - 8);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("cut.npy")
        .hasMessageContaining("ends early")
        .hasMessageContaining("[2, 3]")
        .hasMessageContaining("<f8")
        .hasMessageContaining("48 bytes");
  }

  /** A file cut inside the header is bad input too (it used to escape as an EOFException). */
  @Test
  void rejectsTruncatedHeader(@TempDir Path dir) throws IOException {
    byte[] full = Files.readAllBytes(fixture("f8_2x3.npy"));
    for (int length : new int[] {6, 7, 9, 40}) {
      byte[] cut = Arrays.copyOf(full, length);
      assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(cut), "cut.npy"))
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("cut.npy")
          .hasMessageContaining("header");
    }
    Path file = dir.resolve("cut.npy");
    Files.write(file, Arrays.copyOf(full, 40));
    assertThatThrownBy(() -> Npy.read(file)).isInstanceOf(BadInputException.class).hasMessageContaining(file.toString());
  }

  @Test
  void rejectsUnsupportedDtype() {
    assertThatThrownBy(() -> Npy.read(fixture("c16_2.npy"))) // complex128 written by numpy
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("c16_2.npy")
        .hasMessageContaining("dtype")
        .hasMessageContaining("'<c16'")
        .hasMessageContaining("float32/float64");
  }

  @Test
  void rejectsHeaderWithoutShape() {
    byte[] file = npyWithHeader("{'descr': '<f8', 'fortran_order': False, }", 1, 16);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(file), "noshape.npy"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("noshape.npy")
        .hasMessageContaining("malformed NPY header")
        .hasMessageContaining("'descr': '<f8'");
  }

  @Test
  void rejectsBadShapeAndVersion() {
    byte[] badShape = npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, x), }", 1, 0);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(badShape), "s.npy"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("s.npy: NPY shape = (2, x)");
    byte[] version9 = npyWithHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 9, 8);
    assertThatThrownBy(() -> Npy.read(new ByteArrayInputStream(version9), "v.npy"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("v.npy: NPY format version = 9");
  }

  @Test
  void missingFileIsBadInputNamingTheFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.npy");
    assertThatThrownBy(() -> Npy.read(missing))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("does not exist");
  }

  @Test
  void writingToAnUnwritablePathIsAnIoError(@TempDir Path dir) {
    Path target = dir.resolve("no-such-dir").resolve("a.npy");
    assertThatThrownBy(() -> Npy.write(target, NdArray.zeros(1), Npy.DType.FLOAT64))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(target.toString());
  }

  // ---- helpers -----------------------------------------------------------------------------------

  private static Path fixture(String name) {
    try {
      return Path.of(NpyTest.class.getResource("/npy/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] written(NdArray array, Npy.DType type) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, array, type);
    return out.toByteArray();
  }

  /** A hand-made NPY file (version {@code major}.0, 2-byte header length) with {@code dataBytes} zero bytes. */
  private static byte[] npyWithHeader(String dict, int major, int dataBytes) {
    byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(10 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
    b.putShort((short) header.length);
    b.put(header);
    return b.array();
  }
}
