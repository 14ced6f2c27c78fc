"""Keras fixtures for layers TensorFlow.js does not have (or computes differently), with reference outputs
computed here in NumPy from Keras's definitions of the layers. Each model is a Keras 2 (tf.keras) config
written out by hand, in the record form build_fixtures.js writes, so the same writers make .h5 and .keras.
"""
import numpy as np

RNG = np.random.default_rng(7)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def layer(cls, name, inbound, **config):
    config["name"] = name
    config.setdefault("trainable", True)
    config.setdefault("dtype", "float32")
    nodes = [[[ref, 0, 0, {}] for ref in inbound]] if inbound else []
    return {"class_name": cls, "name": name, "config": config, "inbound_nodes": nodes}


def input_layer(name, shape):
    return {"class_name": "InputLayer", "name": name, "inbound_nodes": [],
            "config": {"batch_input_shape": [None] + list(shape), "dtype": "float32", "sparse": False, "name": name}}


def weight(name, array):
    return {"name": name, "shape": list(array.shape), "values": array.astype(np.float32).ravel().tolist()}


def record(name, layers, inputs, outputs, weights, input_values, output_values):
    topology = {"class_name": "Functional", "keras_version": "numpy reference (Keras 2 layout)",
                "backend": "tensorflow",
                "config": {"name": name, "layers": layers, "input_layers": [[n, 0, 0] for n in inputs],
                           "output_layers": [[n, 0, 0] for n in outputs]}}
    return {"modelTopology": topology, "weights": weights, "lambdaLayers": [], "tfjsVersion": "none (NumPy reference)",
            "inputs": [{"name": n, "shape": list(v.shape), "values": v.astype(np.float32).ravel().tolist()}
                       for n, v in zip(inputs, input_values)],
            "outputs": [{"name": n, "shape": list(v.shape), "values": v.astype(np.float32).ravel().tolist()}
                        for n, v in zip(outputs, output_values)]}


def gru_reset_after(x, kernel, recurrent, bias, go_backwards=False):
    """Keras GRU with reset_after=True (the default since TF 2): gates (z, r, h), two biases."""
    units = recurrent.shape[0]
    h = np.zeros((x.shape[0], units))
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outs = []
    for t in steps:
        mx = x[:, t] @ kernel + bias[0]
        mh = h @ recurrent + bias[1]
        z = sigmoid(mx[:, :units] + mh[:, :units])
        r = sigmoid(mx[:, units:2 * units] + mh[:, units:2 * units])
        cand = np.tanh(mx[:, 2 * units:] + r * mh[:, 2 * units:])
        h = z * h + (1 - z) * cand
        outs.append(h)
    return np.stack(outs, axis=1), h


def gru_weights(name, features, units, prefix=""):
    k = RNG.uniform(-0.5, 0.5, (features, 3 * units))
    r = RNG.uniform(-0.5, 0.5, (units, 3 * units))
    b = RNG.uniform(-0.3, 0.3, (2, 3 * units))
    return (k, r, b), [weight(f"{name}/{prefix}kernel", k), weight(f"{name}/{prefix}recurrent_kernel", r),
                       weight(f"{name}/{prefix}bias", b)]


def gru_model():
    """Keras's default GRU (reset_after=True) forwards, backwards and bidirectional."""
    x = RNG.uniform(-1, 1, (1, 7, 5))
    (k1, r1, b1), w1 = gru_weights("gru_seq", 5, 6)
    seq, _ = gru_reset_after(x, k1, r1, b1)
    (k2, r2, b2), w2 = gru_weights("gru_back", 6, 4)
    _, back = gru_reset_after(seq, k2, r2, b2, go_backwards=True)
    (kf, rf, bf), wf = gru_weights("bi_gru", 6, 3, "forward_gru_inner/")
    (kb, rb, bb), wb = gru_weights("bi_gru", 6, 3, "backward_gru_inner/")
    fwd, _ = gru_reset_after(seq, kf, rf, bf)
    bwd, _ = gru_reset_after(seq, kb, rb, bb, go_backwards=True)
    bi = fwd + bwd[:, ::-1]  # merge_mode "sum"; the backward sequence re-reversed
    gru = dict(activation="tanh", recurrent_activation="sigmoid", use_bias=True, return_state=False, stateful=False,
               unroll=False, time_major=False, reset_after=True)
    layers = [input_layer("sequence", (7, 5)),
              layer("GRU", "gru_seq", ["sequence"], units=6, return_sequences=True, go_backwards=False, **gru),
              layer("GRU", "gru_back", ["gru_seq"], units=4, return_sequences=False, go_backwards=True, **gru),
              layer("Bidirectional", "bi_gru", ["gru_seq"], merge_mode="sum",
                    layer={"class_name": "GRU", "config": dict(name="gru_inner", units=3, return_sequences=True,
                                                                go_backwards=False, **gru)})]
    return record("gru_model", layers, ["sequence"], ["gru_back", "bi_gru"], w1 + w2 + wf + wb, [x], [back, bi])


def misc_model():
    """Normalization, Subtract, causal Conv1D, 1-D padding, cropping, pooling and upsampling."""
    x = RNG.uniform(-2, 2, (1, 10, 4))
    mean, var = RNG.uniform(-1, 1, 4), RNG.uniform(0.2, 3.0, 4)
    norm = (x - mean) / np.maximum(np.sqrt(var), 1e-7)
    kernel, bias = RNG.uniform(-0.5, 0.5, (3, 4, 5)), RNG.uniform(-0.2, 0.2, 5)
    padded = np.concatenate([np.zeros((1, 2, 4)), norm], axis=1)  # causal: (kernel - 1) zeros in front
    conv = np.stack([sum(padded[:, t + i] @ kernel[i] for i in range(3)) for t in range(10)], axis=1) + bias
    proj_k, proj_b = RNG.uniform(-0.5, 0.5, (4, 5)), RNG.uniform(-0.2, 0.2, 5)
    diff = conv - (norm @ proj_k + proj_b)
    zp = np.concatenate([np.zeros((1, 1, 5)), diff, np.zeros((1, 2, 5))], axis=1)  # ZeroPadding1D((1, 2)): 13 steps
    cropped = zp[:, 2:12]  # Cropping1D((2, 1)): 10 steps
    # AveragePooling1D(3, strides 2, "same"): 5 windows starting at -0, 2, ...; total pad 1, at the end
    pooled = np.stack([cropped[:, max(0, 2 * i): min(10, 2 * i + 3)].mean(axis=1) for i in range(5)], axis=1)
    up = np.repeat(pooled, 2, axis=1)  # UpSampling1D(2)
    layers = [input_layer("signal", (10, 4)),
              layer("Normalization", "norm", ["signal"], axis=-1, invert=False),
              layer("Conv1D", "causal", ["norm"], filters=5, kernel_size=[3], strides=[1], padding="causal",
                    data_format="channels_last", dilation_rate=[1], groups=1, activation="linear", use_bias=True),
              layer("Dense", "proj", ["norm"], units=5, activation="linear", use_bias=True),
              layer("Subtract", "diff", ["causal", "proj"]),
              layer("ZeroPadding1D", "pad1d", ["diff"], padding=[1, 2]),
              layer("Cropping1D", "crop1d", ["pad1d"], cropping=[2, 1]),
              layer("AveragePooling1D", "avg1d", ["crop1d"], pool_size=[3], strides=[2], padding="same",
                    data_format="channels_last"),
              layer("UpSampling1D", "up1d", ["avg1d"], size=2)]
    weights = [weight("norm/mean", mean), weight("norm/variance", var), weight("norm/count", np.array(100.0)),
               weight("causal/kernel", kernel), weight("causal/bias", bias),
               weight("proj/kernel", proj_k), weight("proj/bias", proj_b)]
    return record("misc_model", layers, ["signal"], ["up1d"], weights, [x], [up])


def softmax(x):
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def attention(query, value, w, heads, causal=False):
    """Keras MultiHeadAttention (key = value): einsum projections, query scaled by 1/sqrt(key_dim)."""
    q = np.einsum("btd,dhk->bthk", query, w["query/kernel"]) + w["query/bias"]
    k = np.einsum("btd,dhk->bthk", value, w["key/kernel"]) + w["key/bias"]
    v = np.einsum("btd,dhk->bthk", value, w["value/kernel"]) + w["value/bias"]
    q = q / np.sqrt(q.shape[-1])
    scores = np.einsum("bshk,bthk->bhts", k, q)
    if causal:
        scores = scores + np.triu(np.full(scores.shape[-2:], -1e9), k=1)
    ctx = np.einsum("bhts,bshv->bthv", softmax(scores), v)
    return np.einsum("bthv,hvo->bto", ctx, w["attention_output/kernel"]) + w["attention_output/bias"]


def attention_weights(name, features, heads, key_dim, value_dim, out_dim):
    shapes = {"query/kernel": (features, heads, key_dim), "query/bias": (heads, key_dim),
              "key/kernel": (features, heads, key_dim), "key/bias": (heads, key_dim),
              "value/kernel": (features, heads, value_dim), "value/bias": (heads, value_dim),
              "attention_output/kernel": (heads, value_dim, out_dim), "attention_output/bias": (out_dim,)}
    w = {role: RNG.uniform(-0.6, 0.6, shape) for role, shape in shapes.items()}
    return w, [weight(f"{name}/{role}", array) for role, array in w.items()]


def attention_model():
    """MultiHeadAttention: causal self-attention, and cross-attention with the value passed by keyword."""
    x, memory = RNG.uniform(-1, 1, (1, 6, 8)), RNG.uniform(-1, 1, (1, 5, 8))
    ws, self_weights = attention_weights("self_attention", 8, 2, 4, 3, 8)
    wc, cross_weights = attention_weights("cross_attention", 8, 3, 2, 2, 8)
    attended = attention(x, x, ws, 2, causal=True)
    crossed = attention(attended, memory, wc, 3)
    mha = dict(dropout=0.0, use_bias=True, output_shape=None, attention_axes=None)
    self_layer = layer("MultiHeadAttention", "self_attention", [], num_heads=2, key_dim=4, value_dim=3, **mha)
    self_layer["inbound_nodes"] = [[["tokens", 0, 0, {"value": ["tokens", 0, 0], "use_causal_mask": True}]]]
    cross_layer = layer("MultiHeadAttention", "cross_attention", [], num_heads=3, key_dim=2, value_dim=2, **mha)
    cross_layer["inbound_nodes"] = [[["self_attention", 0, 0, {"value": ["memory", 0, 0]}]]]
    layers = [input_layer("tokens", (6, 8)), input_layer("memory", (5, 8)), self_layer, cross_layer]
    return record("attention_model", layers, ["tokens", "memory"], ["cross_attention"], self_weights + cross_weights,
                  [x, memory], [crossed])


def resize_bilinear(x, out_h, out_w):
    """tf.image.resize(method="bilinear"): half-pixel centres, edges clamped."""
    def axis(out_size, in_size):
        src = (np.arange(out_size) + 0.5) * (in_size / out_size) - 0.5
        lower = np.floor(src)
        frac = src - lower
        return np.clip(lower, 0, in_size - 1).astype(int), np.clip(lower + 1, 0, in_size - 1).astype(int), frac
    y0, y1, fy = axis(out_h, x.shape[1])
    x0, x1, fx = axis(out_w, x.shape[2])
    top = x[:, y0][:, :, x0] * (1 - fx)[None, None, :, None] + x[:, y0][:, :, x1] * fx[None, None, :, None]
    bottom = x[:, y1][:, :, x0] * (1 - fx)[None, None, :, None] + x[:, y1][:, :, x1] * fx[None, None, :, None]
    return top * (1 - fy)[None, :, None, None] + bottom * fy[None, :, None, None]


def grouped_conv(x, kernel, bias, groups):
    """Conv2D with groups, valid padding, stride 1: kernel [kh, kw, in / groups, out]."""
    kh, kw, cin, cout = kernel.shape
    per_out = cout // groups
    out = np.zeros((x.shape[0], x.shape[1] - kh + 1, x.shape[2] - kw + 1, cout))
    for o in range(cout):
        g = o // per_out
        patch = x[..., g * cin:(g + 1) * cin]
        for i in range(kh):
            for j in range(kw):
                out[..., o] += patch[:, i:i + out.shape[1], j:j + out.shape[2]] @ kernel[i, j, :, o]
    return out + bias


def resize_model():
    """UpSampling2D with bilinear interpolation (Keras's half-pixel resize) and a grouped Conv2D."""
    x = RNG.uniform(-1, 1, (1, 5, 4, 6))
    up = resize_bilinear(x, 10, 12)
    kernel, bias = RNG.uniform(-0.5, 0.5, (3, 3, 2, 9)), RNG.uniform(-0.2, 0.2, 9)
    conv = grouped_conv(up, kernel, bias, 3)
    layers = [input_layer("picture", (5, 4, 6)),
              layer("UpSampling2D", "up_bilinear", ["picture"], size=[2, 3], data_format="channels_last",
                    interpolation="bilinear"),
              layer("Conv2D", "grouped", ["up_bilinear"], filters=9, kernel_size=[3, 3], strides=[1, 1],
                    padding="valid",
                    data_format="channels_last", dilation_rate=[1, 1], groups=3, activation="linear", use_bias=True)]
    return record("resize_model", layers, ["picture"], ["up_bilinear", "grouped"],
                  [weight("grouped/kernel", kernel), weight("grouped/bias", bias)], [x], [up, conv])


MODELS = {"keras_np_gru": gru_model, "keras_np_misc": misc_model, "keras_np_attention": attention_model,
          "keras_np_resize": resize_model}
