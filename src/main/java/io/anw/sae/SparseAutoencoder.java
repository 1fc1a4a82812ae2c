package io.anw.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.anw.TorchArrays;
import io.anw.WorkbenchException;
import java.util.Locale;

/**
 * A sparse autoencoder on one hook point, in SAELens's parameterisation (float32, PyTorch-owned
 * memory): {@code W_enc [d_in, d_sae]}, {@code b_enc [d_sae]}, {@code W_dec [d_sae, d_in]},
 * {@code b_dec [d_in]} and, for JumpReLU, {@code threshold [d_sae]}. It applies to the hook's
 * raw activations (any normalisation used in training is folded into the weights).
 *
 * <p>Encode: {@code pre = (x − b_dec·[apply_b_dec_to_input]) W_enc + b_enc}, then ReLU, top-k
 * (the k largest {@code pre} of each token through ReLU, the rest 0) or JumpReLU
 * ({@code pre·[pre > threshold]}). Decode: {@code f W_dec + b_dec}. Inputs may have any leading
 * shape {@code [..., d_in]}; results live in the input's manager.
 */
public final class SparseAutoencoder implements AutoCloseable {
  private final SaeConfig config;
  private final NDManager manager;
  private final NDArray wEnc;
  private final NDArray bEnc;
  private final NDArray wDec;
  private final NDArray bDec;
  private final NDArray threshold;

  private SparseAutoencoder(SaeConfig config, NDManager manager, NDArray wEnc, NDArray bEnc,
      NDArray wDec, NDArray bDec, NDArray threshold) {
    this.config = config;
    this.manager = manager;
    this.wEnc = wEnc;
    this.bEnc = bEnc;
    this.wDec = wDec;
    this.bDec = bDec;
    this.threshold = threshold;
  }

  /**
   * An SAE with copies of the given parameters (float32, in a manager of its own; the caller
   * keeps and closes its arrays). {@code threshold} is required for JumpReLU and ignored
   * otherwise.
   *
   * @throws WorkbenchException naming the parameter whose shape does not fit {@code config}
   */
  public static SparseAutoencoder of(SaeConfig config, NDArray wEnc, NDArray bEnc, NDArray wDec,
      NDArray bDec, NDArray threshold) {
    int in = config.dIn();
    int sae = config.dSae();
    check("W_enc", wEnc, in, sae);
    check("b_enc", bEnc, sae);
    check("W_dec", wDec, sae, in);
    check("b_dec", bDec, in);
    boolean jump = config.architecture() == SaeArchitecture.JUMPRELU;
    if (jump) {
      if (threshold == null) {
        throw new WorkbenchException("a JumpReLU SAE needs threshold [" + sae + "]");
      }
      check("threshold", threshold, sae);
    }
    NDManager m = NDManager.newBaseManager();
    return new SparseAutoencoder(config, m, own(wEnc, m), own(bEnc, m), own(wDec, m),
        own(bDec, m), jump ? own(threshold, m) : null);
  }

  private static NDArray own(NDArray a, NDManager m) {
    if (a.getDataType() == DataType.FLOAT32) {
      return TorchArrays.copy(a, m);
    }
    try (NDArray f = a.toType(DataType.FLOAT32, true)) {
      return TorchArrays.copy(f, m);
    }
  }

  private static void check(String name, NDArray a, long... shape) {
    if (a == null || !a.getShape().equals(new Shape(shape))) {
      throw new WorkbenchException("SAE parameter " + name + " must be " + new Shape(shape)
          + ", is " + (a == null ? "missing" : a.getShape()));
    }
  }

  /**
   * SHA-256 (hex) of the SAE's parameters (names, shapes, float32 bytes, SAELens's names in
   * file order), as the model's weights hash: the same SAE has the same hash whether it was
   * loaded from a folder or trained in this session. Feature counts carry it.
   */
  public String weightsSha256() {
    java.util.Map<String, NDArray> named = new java.util.LinkedHashMap<>();
    named.put("W_enc", wEnc);
    named.put("b_enc", bEnc);
    named.put("W_dec", wDec);
    named.put("b_dec", bDec);
    if (threshold != null) {
      named.put("threshold", threshold);
    }
    return io.anw.model.WeightsHash.sha256(named);
  }

  /** The configuration ({@code cfg.json}). */
  public SaeConfig config() {
    return config;
  }

  /** Input width. */
  public int dIn() {
    return config.dIn();
  }

  /** Number of features. */
  public int dSae() {
    return config.dSae();
  }

  /** The hook point the SAE reads. */
  public String hookName() {
    return config.hookName();
  }

  /** {@code W_enc [d_in, d_sae]} (owned by the SAE: do not close). */
  public NDArray wEnc() {
    return wEnc;
  }

  /** {@code b_enc [d_sae]}. */
  public NDArray bEnc() {
    return bEnc;
  }

  /** {@code W_dec [d_sae, d_in]}: row i is feature i's direction in the hooked activation. */
  public NDArray wDec() {
    return wDec;
  }

  /** {@code b_dec [d_in]}. */
  public NDArray bDec() {
    return bDec;
  }

  /** {@code threshold [d_sae]} of a JumpReLU SAE, or null. */
  public NDArray threshold() {
    return threshold;
  }

  /** Pre-activations {@code [..., d_sae]} of {@code x [..., d_in]}. */
  public NDArray preActivations(NDArray x) {
    requireInput(x);
    NDArray in = config.applyBDecToInput() ? x.sub(bDec) : x;
    return in.matMul(wEnc).add(bEnc);
  }

  /** Feature activations {@code [..., d_sae]} of {@code x [..., d_in]}. */
  public NDArray encode(NDArray x) {
    return activate(preActivations(x));
  }

  /** Feature activations from pre-activations, by the architecture's rule. */
  public NDArray activate(NDArray pre) {
    return switch (config.architecture()) {
      case STANDARD -> pre.maximum(0f);
      case JUMPRELU -> pre.mul(pre.gt(threshold).toType(DataType.FLOAT32, false));
      case TOPK -> {
        NDList top = pre.topK(config.k(), -1, true, false);
        try (NDArray values = top.get(0); NDArray index = top.get(1)) {
          yield pre.zerosLike().scatter(index, values.maximum(0f), -1);
        }
      }
    };
  }

  /** The reconstruction {@code [..., d_in]} of feature activations {@code f [..., d_sae]}. */
  public NDArray decode(NDArray f) {
    requireLastAxis(f, config.dSae(), "SAE features must end in " + config.dSae());
    return f.matMul(wDec).add(bDec);
  }

  /** {@code decode(encode(x))}. */
  public NDArray reconstruct(NDArray x) {
    try (NDArray f = encode(x)) {
      return decode(f);
    }
  }

  /** Checks that {@code x} is {@code [..., d_in]}, what the SAE reads. */
  void requireInput(NDArray x) {
    requireLastAxis(x, config.dIn(), "the SAE on " + config.hookName() + " reads [..., "
        + config.dIn() + "]");
  }

  private static void requireLastAxis(NDArray x, int width, String what) {
    if (x.getShape().dimension() == 0 || x.getShape().tail() != width) {
      throw new WorkbenchException(what + ", got " + x.getShape());
    }
  }

  /** The parameters' manager (for arrays that should live as long as the SAE). */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }

  @Override
  public String toString() {
    SaeConfig c = config;
    return String.format(Locale.ROOT, "SparseAutoencoder[%s%s, %d -> %d features (x%s) at %s]",
        c.architecture().saeLensName(), c.architecture() == SaeArchitecture.TOPK ? " k=" + c.k()
            : "", c.dIn(), c.dSae(), c.expansion() == Math.rint(c.expansion())
            ? Long.toString(Math.round(c.expansion())) : String.format(Locale.ROOT, "%.2f",
            c.expansion()),
        c.hookName());
  }
}
