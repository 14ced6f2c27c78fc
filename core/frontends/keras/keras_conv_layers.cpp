// Keras convolution, pooling, padding, cropping and upsampling layers. These work channels-first, as
// the ops they become do; their outputs stay channels-first until a layer needs channels-last.
// TensorFlow's "same" padding puts the odd pixel at the end, which torch-style ops cannot express:
// an explicit pad op is emitted before the op when the two sides differ.
#include <cmath>
#include <limits>

#include "common/error.h"
#include "frontends/keras/keras_layers.h"
#include "frontends/keras/keras_limits.h"

namespace cms::frontends::keras {

namespace {

struct Padding {
    std::vector<int64_t> before, after;
    bool symmetric() const { return before == after; }
    bool any() const {
        for (size_t i = 0; i < before.size(); ++i)
            if (before[i] || after[i]) return true;
        return false;
    }
};

// Output sizes and padding of a sliding window over `in` (spatial sizes) with TensorFlow's rules.
std::vector<int64_t> windowOutput(LayerCall& call, const std::vector<int64_t>& in, const std::vector<int64_t>& kernel,
                                  const std::vector<int64_t>& stride, const std::vector<int64_t>& dilation,
                                  const std::string& mode, Padding& pad) {
    const size_t n = in.size();
    std::vector<int64_t> out(n);
    pad.before.assign(n, 0);
    pad.after.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
        if (kernel[i] < 1 || stride[i] < 1 || dilation[i] < 1)
            call.fail("the kernel size, strides and dilation must be at least 1");
        const int64_t span = (kernel[i] - 1) * dilation[i] + 1;
        if (mode == "valid") {
            out[i] = in[i] >= span ? (in[i] - span) / stride[i] + 1 : 0;
        } else if (mode == "same") {
            out[i] = (in[i] + stride[i] - 1) / stride[i];
            const int64_t total = std::max<int64_t>((out[i] - 1) * stride[i] + span - in[i], 0);
            pad.before[i] = total / 2;
            pad.after[i] = total - total / 2;
        } else if (mode == "causal" && n == 1) {
            pad.before[i] = span - 1;
            out[i] = (in[i] + pad.before[i] - span) / stride[i] + 1;
        } else {
            call.fail("padding \"" + mode + "\" is not supported", "use \"valid\" or \"same\"");
        }
        if (out[i] <= 0)
            call.fail("the window (" + std::to_string(span) + ") is larger than the input (" + std::to_string(in[i]) +
                      ")");
    }
    return out;
}

std::vector<int64_t> spatialOf(const KTensor& t) { return {t.shape.begin() + 1, t.shape.end() - 1}; }

// torch's pad list: last dimension first, (before, after) each.
std::vector<int64_t> torchPadList(const Padding& pad) {
    std::vector<int64_t> out;
    for (size_t i = pad.before.size(); i-- > 0;) {
        out.push_back(pad.before[i]);
        out.push_back(pad.after[i]);
    }
    return out;
}

ir::Value* explicitPad(IrEmitter& ir, ir::Value* x, const Padding& pad, double value) {
    return ir.op("aten::constant_pad_nd", {x, ir.constInts(torchPadList(pad)), ir.constFloat(value)});
}

void checkChannelsLast(LayerCall& call) {
    if (call.text("data_format", "channels_last") != "channels_last")
        call.fail("data_format=\"channels_first\" is not supported", "build the model with the default channels_last");
}

void checkRank(LayerCall& call, const KTensor& x, size_t spatial) {
    if (x.rank() != static_cast<int64_t>(spatial) + 2)
        call.fail(call.className() + " needs a rank-" + std::to_string(spatial + 2) + " input, got " +
                  shapeToString(x.shape));
}

// A convolution on x (channels-first) with a torch-layout weight; returns the channels-first result.
KTensor convolve(LayerCall& call, const KTensor& in, ir::Value* weight, ir::Value* bias, int64_t outChannels,
                 const std::vector<int64_t>& kernel, const std::vector<int64_t>& stride,
                 const std::vector<int64_t>& dilation, const std::string& mode, int64_t groups) {
    IrEmitter& ir = call.ir;
    const size_t n = kernel.size();
    Padding pad;
    const std::vector<int64_t> out = windowOutput(call, spatialOf(in), kernel, stride, dilation, mode, pad);
    ir::Value* x = ir.channelsFirst(in);
    std::vector<int64_t> symmetric = pad.before;
    if (!pad.symmetric()) {
        x = explicitPad(ir, x, pad, 0.0);
        symmetric.assign(n, 0);
    }
    const std::string kind = "aten::conv" + std::to_string(n) + "d";
    ir::Value* y = ir.op(kind, {x, weight, bias, ir.constInts(stride), ir.constInts(symmetric), ir.constInts(dilation),
                                ir.constInt(groups)});
    Shape shape = {in.shape[0]};
    shape.insert(shape.end(), out.begin(), out.end());
    shape.push_back(outChannels);
    return {y, shape, true};
}

// Keras kernel [k..., in, out] -> torch weight [out, in, k...].
Tensor torchConvWeight(const Tensor& kernel) {
    const int64_t n = kernel.rank() - 2;
    std::vector<int64_t> perm = {n + 1, n};
    for (int64_t i = 0; i < n; ++i) perm.push_back(i);
    return permuteTensor(kernel, perm);
}

// Keras depthwise kernel [k..., in, multiplier] -> torch grouped weight [in * multiplier, 1, k...]:
// output channel c * multiplier + m, as Keras orders them.
Tensor torchDepthwiseWeight(const Tensor& kernel) {
    const int64_t n = kernel.rank() - 2;
    std::vector<int64_t> perm = {n, n + 1};
    for (int64_t i = 0; i < n; ++i) perm.push_back(i);
    Tensor t = permuteTensor(kernel, perm);  // [in, mult, k...]
    Shape shape = {kernel.shape()[n] * kernel.shape()[n + 1], 1};
    for (int64_t i = 0; i < n; ++i) shape.push_back(kernel.shape()[i]);
    return t.reshaped(shape);
}

ir::Value* biasOrNone(LayerCall& call) {
    return call.flag("use_bias", true) ? call.constant("bias", [&] { return call.weight("bias"); })
                                       : call.ir.constNone();
}

LayerFn conv(size_t n) {
    return [n](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        const Tensor& kernel = call.weight("kernel");
        const int64_t groups = call.integer("groups", 1);
        if (kernel.rank() != static_cast<int64_t>(n) + 2 || kernel.shape()[n] * groups != in.channels())
            call.fail("the kernel " + shapeToString(kernel.shape()) + " does not fit an input of " +
                      std::to_string(in.channels()) + " channels");
        ir::Value* w = call.constant("weight", [&] { return torchConvWeight(kernel); });
        const KTensor y = convolve(call, in, w, biasOrNone(call), kernel.shape()[n + 1], call.ints("kernel_size", n),
                                   call.ints("strides", n, 1), call.ints("dilation_rate", n, 1),
                                   call.text("padding", "valid"), groups);
        return {applyActivation(call, y, call.text("activation", "linear"))};
    };
}

LayerFn depthwiseConv(size_t n) {
    return [n](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        // Keras 2 names the weight depthwise_kernel, Keras 3 kernel.
        const std::optional<Tensor> named = call.optionalWeight("depthwise_kernel");
        const Tensor kernel = named ? *named : call.weight("kernel");
        if (kernel.rank() != static_cast<int64_t>(n) + 2 || kernel.shape()[n] != in.channels())
            call.fail("the depthwise kernel " + shapeToString(kernel.shape()) + " does not fit an input of " +
                      std::to_string(in.channels()) + " channels");
        ir::Value* w = call.constant("weight", [&] { return torchDepthwiseWeight(kernel); });
        const KTensor y = convolve(call, in, w, biasOrNone(call), kernel.shape()[n] * kernel.shape()[n + 1],
                                   call.ints("kernel_size", n), call.ints("strides", n, 1),
                                   call.ints("dilation_rate", n, 1), call.text("padding", "valid"), in.channels());
        return {applyActivation(call, y, call.text("activation", "linear"))};
    };
}

LayerFn separableConv(size_t n) {
    return [n](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        const Tensor& depthwise = call.weight("depthwise_kernel");
        const Tensor& pointwise = call.weight("pointwise_kernel");
        if (depthwise.rank() != static_cast<int64_t>(n) + 2 || depthwise.shape()[n] != in.channels())
            call.fail("the depthwise kernel " + shapeToString(depthwise.shape()) + " does not fit the input");
        const int64_t mid = depthwise.shape()[n] * depthwise.shape()[n + 1];
        IrEmitter& ir = call.ir;
        ir::Value* dw = call.constant("depthwise_weight", [&] { return torchDepthwiseWeight(depthwise); });
        const KTensor spread =
            convolve(call, in, dw, ir.constNone(), mid, call.ints("kernel_size", n), call.ints("strides", n, 1),
                     call.ints("dilation_rate", n, 1), call.text("padding", "valid"), in.channels());
        ir::Value* pw = call.constant("pointwise_weight", [&] { return torchConvWeight(pointwise); });
        const KTensor y =
            convolve(call, spread, pw, biasOrNone(call), pointwise.shape()[n + 1], std::vector<int64_t>(n, 1),
                     std::vector<int64_t>(n, 1), std::vector<int64_t>(n, 1), "valid", 1);
        return {applyActivation(call, y, call.text("activation", "linear"))};
    };
}

// Transposed convolution: computed unpadded, then cropped to TensorFlow's output (its "same"
// crop puts the odd pixel at the end, which torch's symmetric padding cannot say).
LayerFn convTranspose(size_t n) {
    return [n](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        const Tensor& kernel = call.weight("kernel");  // [k..., out, in]
        if (kernel.rank() != static_cast<int64_t>(n) + 2 || kernel.shape()[n + 1] != in.channels())
            call.fail("the kernel " + shapeToString(kernel.shape()) + " does not fit the input");
        const std::vector<int64_t> k = call.ints("kernel_size", n), s = call.ints("strides", n, 1);
        const std::vector<int64_t> d = call.ints("dilation_rate", n, 1);
        for (size_t i = 0; i < n; ++i) {
            if (k[i] < 1 || s[i] < 1 || d[i] < 1) call.fail("the kernel size, strides and dilation must be at least 1");
            if (kernel.shape()[i] != k[i])
                call.fail("the kernel " + shapeToString(kernel.shape()) + " does not match kernel_size");
        }
        const std::string mode = call.text("padding", "valid");
        if (call.has("output_padding"))
            call.fail("Conv" + std::to_string(n) + "DTranspose with output_padding is not supported");
        IrEmitter& ir = call.ir;
        // Keras [k..., out, in] -> torch [in, out, k...].
        std::vector<int64_t> perm = {static_cast<int64_t>(n) + 1, static_cast<int64_t>(n)};
        for (size_t i = 0; i < n; ++i) perm.push_back(static_cast<int64_t>(i));
        ir::Value* w = call.constant("weight", [&] { return permuteTensor(kernel, perm); });
        const std::string kind = "aten::conv_transpose" + std::to_string(n) + "d";
        ir::Value* y = ir.op(
            kind, {ir.channelsFirst(in), w, biasOrNone(call), ir.constInts(s), ir.constInts(std::vector<int64_t>(n, 0)),
                   ir.constInts(std::vector<int64_t>(n, 0)), ir.constInt(1), ir.constInts(d)});
        Shape shape = {in.shape[0]};
        for (size_t i = 0; i < n; ++i) {
            const int64_t size = in.shape[i + 1];
            const int64_t full = (size - 1) * s[i] + (k[i] - 1) * d[i] + 1;
            int64_t outSize = full;
            if (mode == "same")
                outSize = size * s[i];
            else if (mode != "valid")
                call.fail("padding \"" + mode + "\" is not supported", "use \"valid\" or \"same\"");
            const int64_t crop = full - outSize;
            if (crop < 0) call.fail("strides larger than the kernel with padding=\"same\" are not supported");
            if (crop > 0) {
                const int64_t begin = crop / 2;
                y = ir.op("aten::slice", {y, ir.constInt(static_cast<int64_t>(i) + 2), ir.constInt(begin),
                                          ir.constInt(begin + outSize), ir.constInt(1)});
            }
            shape.push_back(outSize);
        }
        shape.push_back(kernel.shape()[n]);
        return {applyActivation(call, KTensor{y, shape, true}, call.text("activation", "linear"))};
    };
}

LayerFn pooling(size_t n, bool max) {
    return [n, max](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        IrEmitter& ir = call.ir;
        const std::vector<int64_t> kernel = call.ints("pool_size", n, 2);
        const std::vector<int64_t> stride = call.has("strides") ? call.ints("strides", n) : kernel;
        Padding pad;
        const std::vector<int64_t> out = windowOutput(call, spatialOf(in), kernel, stride, std::vector<int64_t>(n, 1),
                                                      call.text("padding", "valid"), pad);
        ir::Value* x = ir.channelsFirst(in);
        const std::string suffix = std::to_string(n) + "d";
        ir::Value* y = nullptr;
        if (max) {
            // Every window of TensorFlow's "same" padding holds an edge pixel of the input, so repeating the
            // edges leaves each maximum unchanged without putting -inf into the program (where the accuracy
            // report would flag it as an overflow). Core ML repeats edges in the last two dimensions only.
            if (pad.any() && n <= 2)
                x = ir.op("aten::replication_pad" + suffix, {x, ir.constInts(torchPadList(pad))});
            else if (pad.any())
                x = explicitPad(ir, x, pad, -std::numeric_limits<double>::infinity());
            y = ir.op("aten::max_pool" + suffix,
                      {x, ir.constInts(kernel), ir.constInts(stride), ir.constInts(std::vector<int64_t>(n, 0)),
                       ir.constInts(std::vector<int64_t>(n, 1)), ir.constBool(false)});
        } else {
            // TensorFlow averages over the window's pixels inside the input only: pool the zero-padded
            // input, then rescale each output by window size / pixels inside, known here.
            if (pad.any()) x = explicitPad(ir, x, pad, 0.0);
            std::vector<ir::Value*> args = {x,
                                            ir.constInts(kernel),
                                            ir.constInts(stride),
                                            ir.constInts(std::vector<int64_t>(n, 0)),
                                            ir.constBool(false),
                                            ir.constBool(true)};
            if (n > 1) args.push_back(ir.constNone());
            y = ir.op("aten::avg_pool" + suffix, args);
            if (pad.any()) {
                const std::vector<int64_t> size = spatialOf(in);
                Shape corrShape = {1, 1};
                corrShape.insert(corrShape.end(), out.begin(), out.end());
                std::vector<float> corr(static_cast<size_t>(shapeNumel(corrShape)));
                std::vector<int64_t> idx(n, 0);
                for (float& c : corr) {
                    int64_t window = 1, inside = 1;
                    for (size_t i = 0; i < n; ++i) {
                        const int64_t start = idx[i] * stride[i] - pad.before[i];
                        const int64_t lo = std::max<int64_t>(start, 0),
                                      hi = std::min<int64_t>(start + kernel[i], size[i]);
                        window *= kernel[i];
                        inside *= std::max<int64_t>(hi - lo, 0);
                    }
                    c = static_cast<float>(static_cast<double>(window) / static_cast<double>(inside));
                    for (size_t i = n; i-- > 0;) {
                        if (++idx[i] < out[i]) break;
                        idx[i] = 0;
                    }
                }
                y = ir.op("aten::mul",
                          {y, call.constant("window_correction", [&] { return Tensor::fromFloats(corr, corrShape); })});
            }
        }
        Shape shape = {in.shape[0]};
        shape.insert(shape.end(), out.begin(), out.end());
        shape.push_back(in.channels());
        return {{y, shape, true}};
    };
}

LayerFn globalPooling(size_t n, bool max) {
    return [n, max](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        IrEmitter& ir = call.ir;
        const bool keep = call.flag("keepdims", false);
        std::vector<int64_t> dims;
        for (size_t i = 0; i < n; ++i) dims.push_back(IrEmitter::storedAxis(in, static_cast<int64_t>(i) + 1));
        ir::Value* y = max ? ir.op("aten::amax", {in.value, ir.constInts(dims), ir.constBool(keep)})
                           : ir.op("aten::mean", {in.value, ir.constInts(dims), ir.constBool(keep), ir.constNone()});
        if (!keep) return {{y, {in.shape[0], in.channels()}, false}};
        Shape shape(in.shape.size(), 1);
        shape.front() = in.shape[0];
        shape.back() = in.channels();
        return {{y, shape, in.channelsFirst}};
    };
}

// ZeroPadding / Cropping amounts: an int, one int per dimension, or (before, after) per dimension.
Padding amounts(LayerCall& call, const std::string& key, size_t n) {
    Padding p;
    const nlohmann::json& v = call.config().contains(key) ? call.config()[key] : nlohmann::json(1);
    const auto fail = [&] { call.fail("config value \"" + key + "\" has an unexpected form: " + v.dump()); };
    if (v.is_number_integer()) {
        p.before.assign(n, v.get<int64_t>());
        p.after = p.before;
    } else if (v.is_array() && v.size() == n) {
        for (const auto& e : v) {
            if (e.is_number_integer()) {
                p.before.push_back(e.get<int64_t>());
                p.after.push_back(e.get<int64_t>());
            } else if (e.is_array() && e.size() == 2 && e[0].is_number_integer() && e[1].is_number_integer()) {
                p.before.push_back(e[0].get<int64_t>());
                p.after.push_back(e[1].get<int64_t>());
            } else {
                fail();
            }
        }
    } else if (v.is_array() && v.size() == 2 && n == 1 && v[0].is_number_integer() && v[1].is_number_integer()) {
        p.before = {v[0].get<int64_t>()};
        p.after = {v[1].get<int64_t>()};
    } else {
        fail();
    }
    for (size_t i = 0; i < p.before.size(); ++i)
        if (p.before[i] < 0 || p.after[i] < 0 || p.before[i] > kMaxConfigInteger || p.after[i] > kMaxConfigInteger)
            fail();
    return p;
}

LayerFn zeroPadding(size_t n) {
    return [n](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        const Padding pad = amounts(call, "padding", n);
        IrEmitter& ir = call.ir;
        Shape shape = in.shape;
        for (size_t i = 0; i < n; ++i) shape[i + 1] += pad.before[i] + pad.after[i];
        return {{explicitPad(ir, ir.channelsFirst(in), pad, 0.0), shape, true}};
    };
}

LayerFn cropping(size_t n) {
    return [n](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        const Padding crop = amounts(call, "cropping", n);
        IrEmitter& ir = call.ir;
        ir::Value* y = in.value;
        Shape shape = in.shape;
        for (size_t i = 0; i < n; ++i) {
            const int64_t size = in.shape[i + 1];
            const int64_t keep = size - crop.before[i] - crop.after[i];
            if (keep <= 0) call.fail("cropping removes the whole dimension of size " + std::to_string(size));
            if (keep == size) continue;
            y = ir.op("aten::slice", {y, ir.constInt(IrEmitter::storedAxis(in, static_cast<int64_t>(i) + 1)),
                                      ir.constInt(crop.before[i]), ir.constInt(crop.before[i] + keep), ir.constInt(1)});
            shape[i + 1] = keep;
        }
        return {{y, shape, in.channelsFirst}};
    };
}

LayerFn upsampling(size_t n) {
    return [n](LayerCall& call) -> std::vector<KTensor> {
        checkChannelsLast(call);
        const KTensor& in = call.input();
        checkRank(call, in, n);
        const std::string interpolation = call.text("interpolation", "nearest");
        const std::vector<int64_t> size =
            n == 1 ? std::vector<int64_t>{call.integer("size", 2)} : call.ints("size", n, 2);
        IrEmitter& ir = call.ir;
        if (n == 2 && interpolation == "bilinear") {
            // Keras resizes with half-pixel centres (tf.image.resize), torch's align_corners=False.
            Shape shape = in.shape;
            shape[1] *= size[0];
            shape[2] *= size[1];
            ir::Value* y = ir.op("aten::upsample_bilinear2d", {ir.channelsFirst(in), ir.constInts({shape[1], shape[2]}),
                                                               ir.constBool(false), ir.constNone(), ir.constNone()});
            return {{y, shape, true}};
        }
        if (interpolation != "nearest")
            call.fail(
                "UpSampling" + std::to_string(n) + "D with interpolation \"" + interpolation + "\" is not supported",
                n == 2 ? "use interpolation=\"nearest\" or \"bilinear\"" : "use interpolation=\"nearest\"");
        // Nearest upsampling by whole factors repeats each element along each spatial axis.
        ir::Value* y = in.value;
        Shape shape = in.shape;
        for (size_t i = 0; i < n; ++i) {
            if (size[i] == 1) continue;
            y = ir.op("aten::repeat_interleave",
                      {y, ir.constInt(size[i]), ir.constInt(IrEmitter::storedAxis(in, static_cast<int64_t>(i) + 1)),
                       ir.constNone()});
            shape[i + 1] *= size[i];
        }
        return {{y, shape, in.channelsFirst}};
    };
}

}  // namespace

void registerConvLayers(LayerTable& t) {
    for (size_t n = 1; n <= 3; ++n) {
        const std::string d = std::to_string(n) + "D";
        t["Conv" + d] = conv(n);
        t["Conv" + d + "Transpose"] = convTranspose(n);
        t["MaxPooling" + d] = pooling(n, true);
        t["AveragePooling" + d] = pooling(n, false);
        t["GlobalMaxPooling" + d] = globalPooling(n, true);
        t["GlobalAveragePooling" + d] = globalPooling(n, false);
        t["ZeroPadding" + d] = zeroPadding(n);
        t["Cropping" + d] = cropping(n);
        t["UpSampling" + d] = upsampling(n);
    }
    for (size_t n = 1; n <= 2; ++n) {
        const std::string d = std::to_string(n) + "D";
        t["DepthwiseConv" + d] = depthwiseConv(n);
        t["SeparableConv" + d] = separableConv(n);
    }
    // Keras 2's aliases.
    t["Convolution2D"] = t["Conv2D"];
    t["MaxPool2D"] = t["MaxPooling2D"];
    t["AvgPool2D"] = t["AveragePooling2D"];
    t["GlobalAvgPool2D"] = t["GlobalAveragePooling2D"];
    t["GlobalMaxPool2D"] = t["GlobalMaxPooling2D"];
}

}  // namespace cms::frontends::keras
