package io.anw.tensor;

import java.nio.ByteOrder;
import java.util.List;

/**
 * PyTorch values inside a pickle: storages (from persistent ids) and the
 * {@code torch._utils._rebuild_*} functions that turn a storage into a tensor view.
 */
final class TorchPickled {
  private TorchPickled() {}

  /**
   * A storage the pickle refers to by persistent id.
   *
   * @param dtype element type of the storage class ({@code torch.FloatStorage} is F32)
   * @param storage the bytes
   * @param order byte order the file was written in
   */
  record StorageRef(DType dtype, Storage storage, ByteOrder order) {
    @Override
    public String toString() {
      return "storage(" + dtype + ", " + storage.byteSize() + " bytes)";
    }
  }

  /** The element type a storage class or dtype global stands for, e.g. {@code torch.HalfStorage}. */
  static DType storageDType(Object storageType) {
    if (storageType instanceof PyGlobal g) {
      DType t = DType.fromTorchName(g.name().substring(g.name().lastIndexOf('.') + 1));
      if (t != null) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown storage type " + PyRepr.typeName(storageType));
  }

  /**
   * {@code _rebuild_tensor(storage, offset, size, stride)} and {@code _rebuild_tensor_v2} (which
   * adds requires_grad, backward hooks and metadata, none of which matter for the values).
   */
  static Tensor rebuildTensor(List<Object> args) {
    if (!(PickleArgs.arg(args, 0, "_rebuild_tensor") instanceof StorageRef s)) {
      throw new IllegalArgumentException("_rebuild_tensor without a storage");
    }
    long offset = PickleArgs.longValue(PickleArgs.arg(args, 1, "_rebuild_tensor"), "storage offset");
    long[] size = PickleArgs.longs(PickleArgs.arg(args, 2, "_rebuild_tensor"), "tensor size");
    long[] stride = PickleArgs.longs(PickleArgs.arg(args, 3, "_rebuild_tensor"), "tensor stride");
    return new Tensor(s.dtype(), size, stride, offset, s.storage(), s.order());
  }

  /** {@code _rebuild_parameter(data, requires_grad, hooks[, state])}: the data tensor. */
  static Object rebuildParameter(List<Object> args) {
    Object data = PickleArgs.arg(args, 0, "_rebuild_parameter");
    if (!(data instanceof Tensor)) {
      throw new IllegalArgumentException("_rebuild_parameter of " + PyRepr.typeName(data));
    }
    return data;
  }

  /** {@code _rebuild_from_type_v2(func, type, args, state)}: calls the (allow-listed) func. */
  static Object rebuildFromTypeV2(List<Object> args) {
    Object func = PickleArgs.arg(args, 0, "_rebuild_from_type_v2");
    Object funcArgs = PickleArgs.arg(args, 2, "_rebuild_from_type_v2");
    if (!(func instanceof PyGlobal g) || !(funcArgs instanceof PyTuple t)) {
      throw new IllegalArgumentException("unexpected _rebuild_from_type_v2 arguments");
    }
    return g.call(t);
  }

  /** {@code torch.device(type[, index])} as text, e.g. {@code cuda:0}. */
  static String device(List<Object> args) {
    Object type = PickleArgs.arg(args, 0, "torch.device");
    return args.size() > 1 && args.get(1) != null ? type + ":" + args.get(1) : String.valueOf(type);
  }
}
