package org.fewstep.core.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.fewstep.core.BadInputException;
import org.fewstep.core.NdArray;

/**
 * NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0). Reading accepts float32/float64,
 * signed and unsigned integers of 1-8 bytes and booleans, little or big endian, C or Fortran order,
 * any shape, and gzip-compressed files ({@code .npy.gz}); values come back as float64 in C order.
 * Writing produces version 1.0 little-endian C-order float64 ({@code <f8}) or float32 ({@code <f4}).
 */
public final class Npy {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<>|=])([a-z])(\\d+)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  /** Element type written by {@link #write}. */
  public enum DType {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8);

    final String descr;
    final int bytes;

    DType(String descr, int bytes) {
      this.descr = descr;
      this.bytes = bytes;
    }
  }

  private Npy() {}

  /** Reads a {@code .npy} (or {@code .npy.gz}) file. */
  public static NdArray read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      throw new BadInputException("NPY file " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Reads an NPY stream; gzip compression is detected from the first bytes. {@code name} is used
   * in error messages.
   */
  public static NdArray read(InputStream raw, String name) throws IOException {
    BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    InputStream in = (b0 == 0x1f && b1 == 0x8b) ? new BufferedInputStream(new GZIPInputStream(buffered), 1 << 16) : buffered;
    DataInputStream data = new DataInputStream(in);
    byte[] magic = new byte[6];
    try {
      data.readFully(magic);
    } catch (EOFException e) {
      throw new BadInputException(name + " is not an NPY file: too short");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (magic[i] != MAGIC[i]) {
        throw new BadInputException(name + " is not an NPY file: the magic string \\x93NUMPY is missing");
      }
    }
    int major;
    long headerLength;
    byte[] headerBytes;
    try {
      major = data.readUnsignedByte();
      data.readUnsignedByte();
      if (major == 1) {
        headerLength = Short.toUnsignedInt(Short.reverseBytes(data.readShort()));
      } else if (major == 2 || major == 3) {
        headerLength = Integer.toUnsignedLong(Integer.reverseBytes(data.readInt()));
      } else {
        throw BadInputException.of(name + ": NPY format version", major, "1, 2 or 3");
      }
      if (headerLength > 1 << 20) {
        throw BadInputException.of(name + ": NPY header length", headerLength, "at most 1 MiB");
      }
      headerBytes = new byte[(int) headerLength];
      data.readFully(headerBytes);
    } catch (EOFException e) {
      throw new BadInputException(name + " is not an NPY file: it ends inside the header");
    }
    String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

    Matcher descr = DESCR.matcher(header);
    Matcher order = ORDER.matcher(header);
    Matcher shapeMatch = SHAPE.matcher(header);
    if (!descr.find() || !order.find() || !shapeMatch.find()) {
      throw new BadInputException(name + ": malformed NPY header " + header.trim());
    }
    ByteOrder byteOrder = descr.group(1).equals(">") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    char kind = descr.group(2).charAt(0);
    int width = Integer.parseInt(descr.group(3));
    String type = descr.group(1) + kind + width;
    if (!isSupported(kind, width)) {
      throw BadInputException.of(name + ": NPY dtype", "'" + type + "'",
          "float32/float64 ('<f4', '<f8'), an integer type ('i1'..'i8', 'u1'..'u8') or 'b1'");
    }
    boolean fortran = order.group(1).equals("True");
    int[] shape = parseShape(shapeMatch.group(1), name);
    long count = NdArray.checkedSize(shape);
    if (count * width > Integer.MAX_VALUE - 8) {
      throw BadInputException.of(name + ": NPY size", count * width + " bytes", "less than 2 GiB");
    }
    byte[] bytes = new byte[(int) (count * width)];
    try {
      data.readFully(bytes);
    } catch (EOFException e) {
      throw new BadInputException(name + ": NPY data ends early: shape " + NdArray.shapeText(shape)
          + " of " + type + " needs " + bytes.length + " bytes");
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes).order(byteOrder);
    double[] values = new double[(int) count];
    for (int i = 0; i < values.length; i++) {
      values[i] = element(buffer, kind, width, i * width);
    }
    if (fortran && shape.length > 1) {
      values = fortranToC(values, shape);
    }
    return NdArray.of(values, shape);
  }

  /** Writes {@code array} as a version 1.0 NPY file with the given element type. */
  public static void write(Path file, NdArray array, DType type) {
    try (OutputStream out = Files.newOutputStream(file)) {
      write(out, array, type);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Writes {@code array} to a stream as a version 1.0 NPY file. */
  public static void write(OutputStream out, NdArray array, DType type) throws IOException {
    int[] shape = array.shape();
    StringBuilder shapeText = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      shapeText.append(shape[i]);
      if (shape.length == 1 || i < shape.length - 1) {
        shapeText.append(shape.length == 1 ? "," : ", ");
      }
    }
    shapeText.append(')');
    String dict = "{'descr': '" + type.descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
    int padding = (64 - unpadded % 64) % 64;
    StringBuilder header = new StringBuilder(dict);
    header.append(" ".repeat(padding)).append('\n');
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(MAGIC);
    head.write(1);
    head.write(0);
    int len = header.length();
    head.write(len & 0xff);
    head.write((len >>> 8) & 0xff);
    head.write(header.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(head.toByteArray());

    double[] values = array.data();
    ByteBuffer buffer = ByteBuffer.allocate(8192 * type.bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < values.length; i++) {
      if (type == DType.FLOAT64) {
        buffer.putDouble(values[i]);
      } else {
        buffer.putFloat((float) values[i]);
      }
      if (!buffer.hasRemaining()) {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
    }
    out.write(buffer.array(), 0, buffer.position());
  }

  private static boolean isSupported(char kind, int width) {
    switch (kind) {
      case 'f':
        return width == 4 || width == 8;
      case 'i':
      case 'u':
        return width == 1 || width == 2 || width == 4 || width == 8;
      case 'b':
        return width == 1;
      default:
        return false;
    }
  }

  private static double element(ByteBuffer buffer, char kind, int width, int offset) {
    switch (kind) {
      case 'f':
        return width == 4 ? buffer.getFloat(offset) : buffer.getDouble(offset);
      case 'b':
        return buffer.get(offset) != 0 ? 1 : 0;
      case 'i':
        switch (width) {
          case 1: return buffer.get(offset);
          case 2: return buffer.getShort(offset);
          case 4: return buffer.getInt(offset);
          default: return buffer.getLong(offset);
        }
      default: // 'u'
        switch (width) {
          case 1: return Byte.toUnsignedInt(buffer.get(offset));
          case 2: return Short.toUnsignedInt(buffer.getShort(offset));
          case 4: return Integer.toUnsignedLong(buffer.getInt(offset));
          default:
            long v = buffer.getLong(offset);
            return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
        }
    }
  }

  private static int[] parseShape(String text, String name) {
    List<Integer> extents = new ArrayList<>();
    for (String part : text.split(",")) {
      String p = part.trim().toLowerCase(Locale.ROOT).replace("l", "");
      if (p.isEmpty()) {
        continue;
      }
      try {
        extents.add(Integer.parseInt(p));
      } catch (NumberFormatException e) {
        throw BadInputException.of(name + ": NPY shape", "(" + text + ")", "a tuple of integers");
      }
    }
    return extents.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Converts column-major data to row-major. */
  private static double[] fortranToC(double[] f, int[] shape) {
    int rank = shape.length;
    double[] c = new double[f.length];
    int[] index = new int[rank];
    int[] fStride = new int[rank];
    fStride[0] = 1;
    for (int a = 1; a < rank; a++) {
      fStride[a] = fStride[a - 1] * shape[a - 1];
    }
    for (int i = 0; i < c.length; i++) {
      int offset = 0;
      for (int a = 0; a < rank; a++) {
        offset += index[a] * fStride[a];
      }
      c[i] = f[offset];
      for (int a = rank - 1; a >= 0; a--) {
        if (++index[a] < shape[a]) {
          break;
        }
        index[a] = 0;
      }
    }
    return c;
  }
}
