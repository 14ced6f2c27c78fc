// Fourier transforms (torch.fft.fft/ifft/rfft/irfft and their n-dimensional forms), stft and
// hann_window. Core ML has no DFT op: with static sizes a 1-D DFT of length n is a matrix product
// with constant cos/sin matrices, exact up to fp32 rounding. A complex operand is lowered as its
// real part and imaginary part concatenated on the transformed axis, so one matmul against a stacked
// real matrix computes the whole complex product; complex results are split back into two parts.
// stft is one strided conv1d whose kernels are the windowed cos/sin rows.
#include <cmath>
#include <numeric>

#include "lower/constant_values.h"
#include "lower/translators/all_translators.h"
#include "lower/translators/complex_translators.h"
#include "lower/translators/translator_utils.h"

namespace cms::lower {

namespace {

constexpr double kPi = 3.14159265358979323846;

enum class Dft {
    Complex,     // complex (or real) in, n complex bins out
    RealToHalf,  // real in, the n/2+1 non-redundant bins out (rfft)
    HalfToReal,  // Hermitian half spectrum in, n real samples out (irfft)
};

// exp(i * sign * 2*pi*j*k/n) with the phase reduced mod n first, so large j*k keep their precision.
double phase(int64_t j, int64_t k, int64_t n) { return 2.0 * kPi * static_cast<double>((j * k) % n) / static_cast<double>(n); }

// The factor torch's `norm` argument applies to a transform of length n.
double normScale(LowerContext& ctx, const ir::Value* norm, int64_t n, bool inverse) {
    const std::string mode = norm == nullptr || ctx.isNone(norm) ? "backward" : ctx.stringArg(norm);
    if (mode == "ortho") return 1.0 / std::sqrt(static_cast<double>(n));
    if (mode == "backward") return inverse ? 1.0 / static_cast<double>(n) : 1.0;
    if (mode == "forward") return inverse ? 1.0 : 1.0 / static_cast<double>(n);
    ctx.fail("unknown norm '" + mode + "'", "use norm=None, \"backward\", \"ortho\" or \"forward\"");
}

mil::Value* transposeSwap(LowerContext& ctx, mil::Value* x, int64_t dim, const std::string& name) {
    const int64_t rank = x->type.rank();
    if (dim == rank - 1) return x;
    std::vector<int64_t> perm(static_cast<size_t>(rank));
    std::iota(perm.begin(), perm.end(), 0);
    std::swap(perm[static_cast<size_t>(dim)], perm.back());
    mil::Builder& b = ctx.builder();
    return b.add1("transpose", {{"x", {x}}, {"perm", {b.constInts(perm, name + "_perm")}}}, name);
}

// One 1-D DFT of x along `dim`, producing n samples (Complex, HalfToReal) or n/2+1 bins
// (RealToHalf). Input samples beyond n are dropped and missing ones count as zero, as torch's
// n argument does; both are rows of the constant matrix.
ComplexOperand dft1d(LowerContext& ctx, ComplexOperand x, int64_t dim, int64_t n, Dft kind, bool inverse, double scale,
                     const std::string& name) {
    mil::Builder& b = ctx.builder();
    const int64_t rank = x.real->type.rank();
    if (rank == 0) ctx.fail("a Fourier transform needs a tensor of rank 1 or more");
    const int64_t len = x.real->type.shape[static_cast<size_t>(dim)];
    if (len == mil::kUnknownDim) ctx.fail("the transformed dimension must have a fixed size", "give the input a fixed shape");
    if (n < 1) ctx.fail("the transform length must be positive, got " + std::to_string(n));
    if (kind == Dft::RealToHalf && x.imag) ctx.fail("rfft takes a real input; use fft for complex input");

    const bool complexIn = x.imag != nullptr;
    const bool complexOut = kind != Dft::HalfToReal;
    const int64_t bins = kind == Dft::RealToHalf ? n / 2 + 1 : n;
    const int64_t rows = (complexIn ? 2 : 1) * len;
    const int64_t cols = complexOut ? 2 * bins : n;
    std::vector<float> m(static_cast<size_t>(rows * cols), 0.0f);
    auto at = [&](int64_t r, int64_t c) -> float& { return m[static_cast<size_t>(r * cols + c)]; };
    const double sign = inverse ? 1.0 : -1.0;
    if (kind == Dft::HalfToReal) {
        // x_t = scale * sum_k w_k (Re X_k cos - Im X_k sin), the Hermitian mirror folded into w_k.
        const int64_t used = std::min(len, n / 2 + 1);
        for (int64_t k = 0; k < used; ++k) {
            const double w = (k == 0 || (n % 2 == 0 && k == n / 2)) ? 1.0 : 2.0;
            for (int64_t t = 0; t < n; ++t) {
                const double th = phase(k, t, n);
                at(k, t) = static_cast<float>(w * std::cos(th) * scale);
                if (complexIn) at(len + k, t) = static_cast<float>(-w * std::sin(th) * scale);
            }
        }
    } else {
        // (a + ib)(cos + i sign sin): a feeds (cos, sign sin), b feeds (-sign sin, cos).
        const int64_t used = std::min(len, n);
        for (int64_t j = 0; j < used; ++j)
            for (int64_t k = 0; k < bins; ++k) {
                const double th = phase(j, k, n);
                const double c = std::cos(th) * scale, s = sign * std::sin(th) * scale;
                at(j, k) = static_cast<float>(c);
                at(j, bins + k) = static_cast<float>(s);
                if (complexIn) {
                    at(len + j, k) = static_cast<float>(-s);
                    at(len + j, bins + k) = static_cast<float>(c);
                }
            }
    }

    mil::Value* re = transposeSwap(ctx, x.real, dim, name + "_re_t");
    mil::Value* in = re;
    if (complexIn) {
        mil::Value* im = transposeSwap(ctx, x.imag, dim, name + "_im_t");
        in = b.add1("concat", {{"values", {re, im}}, {"axis", {b.constInt(-1)}}}, name + "_parts");
    }
    mil::Value* matrix = b.constant(Tensor::fromFloats(m, {rows, cols}), name + "_basis");
    mil::Value* y = b.add1("matmul", {{"x", {in}}, {"y", {matrix}}}, name + "_dft");
    if (!complexOut) return {transposeSwap(ctx, y, dim, name + "_real"), nullptr};
    std::vector<mil::Value*> parts =
        b.add("split", {{"x", {y}}, {"num_splits", {b.constInt(2)}}, {"axis", {b.constInt(-1)}}}, name + "_split");
    return {transposeSwap(ctx, parts.at(0), dim, name + "_real"), transposeSwap(ctx, parts.at(1), dim, name + "_imag")};
}

void bindResult(LowerContext& ctx, const ir::Value* out, const ComplexOperand& r) {
    if (r.imag) bindComplex(ctx, out, r.real, r.imag);
    else ctx.bind(out, r.real);
}

int64_t rankOf(const ComplexOperand& x) { return x.real->type.rank(); }
int64_t sizeAt(const ComplexOperand& x, int64_t dim) { return x.real->type.shape[static_cast<size_t>(dim)]; }

// fft_fft / fft_ifft / fft_rfft / fft_irfft (self, n, dim, norm).
template <Dft Kind, bool Inverse>
void fft1d(LowerContext& ctx, const ir::Node& node) {
    ComplexOperand x = complexOperand(ctx, node.inputs.at(0));
    const int64_t dim = normalizeDim(ctx, ctx.intArg(node.inputs.at(2)), rankOf(x));
    const int64_t len = sizeAt(x, dim);
    int64_t n = Kind == Dft::HalfToReal ? 2 * (len - 1) : len;
    if (!ctx.isNone(node.inputs.at(1))) n = ctx.intArg(node.inputs.at(1));
    const double scale = normScale(ctx, node.inputs.at(3), n, Inverse);
    bindResult(ctx, node.outputs.at(0), dft1d(ctx, x, dim, n, Kind, Inverse, scale, ctx.nameFor(node.outputs.at(0))));
}

// fft_fftn / fft_ifftn / fft_rfftn / fft_irfftn (self, s, dim, norm): 1-D transforms one axis at
// a time. rfftn halves its last axis first (its input is real); irfftn restores its last axis last.
template <Dft Kind, bool Inverse>
void fftNd(LowerContext& ctx, const ir::Node& node) {
    ComplexOperand x = complexOperand(ctx, node.inputs.at(0));
    const int64_t rank = rankOf(x);
    const bool hasS = !ctx.isNone(node.inputs.at(1)), hasDim = !ctx.isNone(node.inputs.at(2));
    const std::vector<int64_t> s = hasS ? ctx.intsArg(node.inputs.at(1)) : std::vector<int64_t>{};
    std::vector<int64_t> dims;
    if (hasDim) {
        for (int64_t d : ctx.intsArg(node.inputs.at(2))) dims.push_back(normalizeDim(ctx, d, rank));
    } else {
        const int64_t count = hasS ? static_cast<int64_t>(s.size()) : rank;
        if (count > rank) ctx.fail("s has " + std::to_string(count) + " sizes for a tensor of rank " + std::to_string(rank));
        for (int64_t d = rank - count; d < rank; ++d) dims.push_back(d);
    }
    if (hasS && s.size() != dims.size())
        ctx.fail("s has " + std::to_string(s.size()) + " sizes but " + std::to_string(dims.size()) + " dimensions are transformed");
    if (dims.empty()) ctx.fail("no dimension to transform");
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const size_t last = dims.size() - 1;
    auto lengthOf = [&](size_t i) {
        const int64_t len = sizeAt(x, dims[i]);
        const int64_t dflt = Kind == Dft::HalfToReal && i == last ? 2 * (len - 1) : len;
        return hasS && s[i] != -1 ? s[i] : dflt;
    };
    auto step = [&](size_t i, Dft kind) {
        const int64_t n = lengthOf(i);
        x = dft1d(ctx, x, dims[i], n, kind, Inverse, normScale(ctx, node.inputs.at(3), n, Inverse),
                  name + "_d" + std::to_string(dims[i]));
    };
    if (Kind == Dft::RealToHalf) step(last, Dft::RealToHalf);
    for (size_t i = 0; i < dims.size(); ++i)
        if (Kind == Dft::Complex || i != last) step(i, Dft::Complex);
    if (Kind == Dft::HalfToReal) step(last, Dft::HalfToReal);
    bindResult(ctx, node.outputs.at(0), x);
}

// hann_window(window_length[, periodic], dtype, layout, device, pin_memory): a constant.
void hannWindow(LowerContext& ctx, const ir::Node& node) {
    const int64_t length = ctx.intArg(node.inputs.at(0));
    const bool periodic = node.inputs.size() == 6 ? ctx.boolArg(node.inputs.at(1)) : true;
    if (length < 0) ctx.fail("window_length must not be negative, got " + std::to_string(length));
    std::vector<float> w(static_cast<size_t>(length), 1.0f);
    const int64_t period = periodic ? length : length - 1;
    if (length > 1)
        for (int64_t i = 0; i < length; ++i)
            w[static_cast<size_t>(i)] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * kPi * static_cast<double>(i) / period));
    ctx.bindConstant(node.outputs.at(0), Tensor::fromFloats(w, {length}));
}

// stft(self, n_fft, hop_length, win_length, window, normalized, onesided, return_complex), and the
// .center overload (..., window, center, pad_mode, normalized, onesided, return_complex): frames of
// n_fft samples every hop_length, windowed and transformed, as [batch,] bins x frames.
void stft(LowerContext& ctx, const ir::Node& node) {
    const bool centerForm = node.inputs.size() == 10;
    const size_t first = centerForm ? 7 : 5;  // normalized, onesided, return_complex
    if (centerForm && ctx.boolArg(node.inputs.at(5)))
        ctx.fail("stft with center=True in this overload is not supported",
                 "pad the signal by n_fft // 2 on both sides in the model (F.pad, mode \"reflect\") and call stft with "
                 "center=False");
    if (isComplex(ctx, node.inputs.at(0)))
        ctx.fail("stft of a complex signal is not supported", "transform the real and imaginary parts separately");
    mil::Value* x = ctx.tensorAs(node.inputs.at(0), DType::Float32);
    const int64_t rank = x->type.rank();
    if (rank != 1 && rank != 2) ctx.fail("stft takes a 1-D signal or a 2-D batch of signals, got shape " + shapeText(x->type.shape));
    if (!x->type.isStatic()) ctx.fail("stft needs a signal of fixed length", "give the input a fixed shape");
    const int64_t nfft = ctx.intArg(node.inputs.at(1));
    const int64_t hop = ctx.isNone(node.inputs.at(2)) ? nfft / 4 : ctx.intArg(node.inputs.at(2));
    const int64_t winLength = ctx.isNone(node.inputs.at(3)) ? nfft : ctx.intArg(node.inputs.at(3));
    const int64_t length = x->type.shape.back();
    if (nfft < 1 || hop < 1 || winLength < 1 || winLength > nfft)
        ctx.fail("stft needs n_fft >= win_length >= 1 and hop_length >= 1, got n_fft " + std::to_string(nfft) + ", hop_length " +
                 std::to_string(hop) + ", win_length " + std::to_string(winLength));
    if (length < nfft) ctx.fail("the signal (" + std::to_string(length) + " samples) is shorter than n_fft " + std::to_string(nfft));

    std::vector<float> window(static_cast<size_t>(winLength), 1.0f);
    const ir::Value* windowValue = node.inputs.at(4);
    if (!ctx.isNone(windowValue)) {
        if (!ctx.isConstant(windowValue))
            ctx.fail("the stft window must be known at conversion time",
                     "build the window from constants (e.g. torch.hann_window(n)) or a module buffer");
        std::optional<Tensor> t = tensorOf(ctx.constant(windowValue));
        if (!t || t->rank() != 1 || t->numel() != winLength)
            ctx.fail("the stft window must be a 1-D tensor of win_length " + std::to_string(winLength) + " values");
        window = t->toFloats();
    }
    const bool normalized = ctx.boolArg(node.inputs.at(first));
    const ir::Value* onesidedValue = node.inputs.at(first + 1);
    const bool onesided = ctx.isNone(onesidedValue) ? true : ctx.boolArg(onesidedValue);
    const ir::Value* returnComplexValue = node.inputs.at(first + 2);
    if (ctx.isNone(returnComplexValue))
        ctx.fail("stft without return_complex is not supported (torch requires it for real input)",
                 "call stft with return_complex=True and take view_as_real or abs of the result");
    const bool returnComplex = ctx.boolArg(returnComplexValue);

    // Conv kernels: rows k of window[j] * cos and -window[j] * sin (the window centred in n_fft).
    const int64_t bins = onesided ? nfft / 2 + 1 : nfft;
    const int64_t offset = (nfft - winLength) / 2;
    const double scale = normalized ? 1.0 / std::sqrt(static_cast<double>(nfft)) : 1.0;
    std::vector<float> kernel(static_cast<size_t>(2 * bins * nfft), 0.0f);
    for (int64_t k = 0; k < bins; ++k)
        for (int64_t j = 0; j < winLength; ++j) {
            const int64_t pos = offset + j;
            const double w = window[static_cast<size_t>(j)] * scale, th = phase(pos, k, nfft);
            kernel[static_cast<size_t>(k * nfft + pos)] = static_cast<float>(w * std::cos(th));
            kernel[static_cast<size_t>((bins + k) * nfft + pos)] = static_cast<float>(-w * std::sin(th));
        }

    mil::Builder& b = ctx.builder();
    const std::string name = ctx.nameFor(node.outputs.at(0));
    const int64_t batch = rank == 2 ? x->type.shape[0] : 1;
    mil::Value* signal = reshapeTo(ctx, x, {batch, 1, length}, name + "_signal");
    mil::Value* y = b.add1("conv",
                           {{"x", {signal}},
                            {"weight", {b.constant(Tensor::fromFloats(kernel, {2 * bins, 1, nfft}), name + "_basis")}},
                            {"strides", {b.constInts({hop}, name + "_strides")}},
                            {"pad_type", {b.constString("valid", name + "_pad_type")}},
                            {"dilations", {b.constInts({1}, name + "_dilations")}},
                            {"groups", {b.constInt(1, name + "_groups")}}},
                           name + "_frames");
    std::vector<mil::Value*> parts =
        b.add("split", {{"x", {y}}, {"num_splits", {b.constInt(2)}}, {"axis", {b.constInt(1)}}}, name + "_split");
    const int64_t frames = y->type.shape.back();
    Shape partShape = rank == 2 ? Shape{batch, bins, frames} : Shape{bins, frames};
    mil::Value* re = reshapeTo(ctx, parts.at(0), partShape, name + "_real");
    mil::Value* im = reshapeTo(ctx, parts.at(1), partShape, name + "_imag");
    if (returnComplex) {
        bindComplex(ctx, node.outputs.at(0), re, im);
        return;
    }
    emit(ctx, "stack", {{"values", {re, im}}, {"axis", {b.constInt(-1)}}}, node.outputs.at(0));
}

}  // namespace

void registerSpectralTranslators(TranslatorTable& t) {
    t.add({"aten::fft_fft"}, fft1d<Dft::Complex, false>);
    t.add({"aten::fft_ifft"}, fft1d<Dft::Complex, true>);
    t.add({"aten::fft_rfft"}, fft1d<Dft::RealToHalf, false>);
    t.add({"aten::fft_irfft"}, fft1d<Dft::HalfToReal, true>);
    t.add({"aten::fft_fftn"}, fftNd<Dft::Complex, false>);
    t.add({"aten::fft_ifftn"}, fftNd<Dft::Complex, true>);
    t.add({"aten::fft_rfftn"}, fftNd<Dft::RealToHalf, false>);
    t.add({"aten::fft_irfftn"}, fftNd<Dft::HalfToReal, true>);
    t.add({"aten::hann_window"}, hannWindow);
    t.add({"aten::stft"}, stft);
}

}  // namespace cms::lower
