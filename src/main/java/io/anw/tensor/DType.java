package io.anw.tensor;

import ai.djl.ndarray.types.DataType;
import java.util.Locale;

/**
 * Element type of a stored tensor, named as in safetensors ({@code F32}, {@code BF16}, ...).
 *
 * <p>Each constant knows its size in bytes, its NumPy and PyTorch names and how it maps to a DJL
 * {@link DataType}.
 */
public enum DType {
  /** IEEE 754 half precision, 2 bytes. */
  F16(2, "f2", "torch.float16", DataType.FLOAT16),
  /** bfloat16 (the upper half of an F32), 2 bytes. */
  BF16(2, null, "torch.bfloat16", DataType.BFLOAT16),
  /** IEEE 754 single precision, 4 bytes. */
  F32(4, "f4", "torch.float32", DataType.FLOAT32),
  /** IEEE 754 double precision, 8 bytes. */
  F64(8, "f8", "torch.float64", DataType.FLOAT64),
  /** Signed 8-bit integer. */
  I8(1, "i1", "torch.int8", DataType.INT8),
  /** Unsigned 8-bit integer. */
  U8(1, "u1", "torch.uint8", DataType.UINT8),
  /** Signed 16-bit integer. */
  I16(2, "i2", "torch.int16", DataType.INT16),
  /** Unsigned 16-bit integer. */
  U16(2, "u2", "torch.uint16", DataType.UINT16),
  /** Signed 32-bit integer. */
  I32(4, "i4", "torch.int32", DataType.INT32),
  /** Unsigned 32-bit integer. */
  U32(4, "u4", "torch.uint32", DataType.UINT32),
  /** Signed 64-bit integer. */
  I64(8, "i8", "torch.int64", DataType.INT64),
  /** Unsigned 64-bit integer. */
  U64(8, "u8", "torch.uint64", DataType.UINT64),
  /** Boolean, one byte (0 or 1). */
  BOOL(1, "b1", "torch.bool", DataType.BOOLEAN);

  private final int byteSize;
  private final String numpyCode;
  private final String torchName;
  private final DataType djl;

  DType(int byteSize, String numpyCode, String torchName, DataType djl) {
    this.byteSize = byteSize;
    this.numpyCode = numpyCode;
    this.torchName = torchName;
    this.djl = djl;
  }

  /** Bytes per element. */
  public int byteSize() {
    return byteSize;
  }

  /** Whether the values are floating point (F16, BF16, F32, F64). */
  public boolean isFloating() {
    return this == F16 || this == BF16 || this == F32 || this == F64;
  }

  /** The NumPy type code without byte order ({@code "f4"}), or null where NumPy has none (BF16). */
  public String numpyCode() {
    return numpyCode;
  }

  /** The PyTorch name, e.g. {@code torch.float32}. */
  public String torchName() {
    return torchName;
  }

  /** The matching DJL data type. */
  public DataType djl() {
    return djl;
  }

  /**
   * The DJL type an NDArray of this dtype gets from {@link Tensor#toNDArray}: the same type where
   * DJL's PyTorch engine supports it, else a wider exact one (BF16 to F32, I16/U16 to I32,
   * U32/U64 to I64; U64 values above 2^63 wrap) because the engine aborts on the others.
   */
  public DataType engineType() {
    return switch (this) {
      case BF16 -> DataType.FLOAT32;
      case I16, U16 -> DataType.INT32;
      case U32, U64 -> DataType.INT64;
      default -> djl;
    };
  }

  /** The safetensors name, e.g. {@code F32}. */
  public String safetensorsName() {
    return name();
  }

  /** Looks up a safetensors dtype name; null if unknown. */
  public static DType fromSafetensors(String name) {
    for (DType t : values()) {
      if (t.name().equals(name)) {
        return t;
      }
    }
    return null;
  }

  /** Looks up a NumPy type code without byte order ({@code "f4"}, {@code "b1"}); null if unknown. */
  public static DType fromNumpyCode(String code) {
    String c = code.toLowerCase(Locale.ROOT);
    if (c.equals("?")) {
      return BOOL;
    }
    for (DType t : values()) {
      if (c.equals(t.numpyCode)) {
        return t;
      }
    }
    return null;
  }

  /**
   * Looks up a PyTorch storage class or dtype name ({@code FloatStorage}, {@code float32},
   * {@code torch.half}); null if unknown.
   */
  public static DType fromTorchName(String name) {
    String n = name.startsWith("torch.") ? name.substring(6) : name;
    switch (n) {
      case "HalfStorage": case "float16": case "half": return F16;
      case "BFloat16Storage": case "bfloat16": return BF16;
      case "FloatStorage": case "float32": case "float": return F32;
      case "DoubleStorage": case "float64": case "double": return F64;
      case "CharStorage": case "int8": return I8;
      case "ByteStorage": case "uint8": case "UntypedStorage": return U8;
      case "ShortStorage": case "int16": case "short": return I16;
      case "uint16": return U16;
      case "IntStorage": case "int32": case "int": return I32;
      case "uint32": return U32;
      case "LongStorage": case "int64": case "long": return I64;
      case "uint64": return U64;
      case "BoolStorage": case "bool": return BOOL;
      default: return null;
    }
  }
}
