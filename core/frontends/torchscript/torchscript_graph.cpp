#include "frontends/torchscript/torchscript_graph.h"

#include <torch/csrc/jit/api/module.h>
#include <torch/csrc/jit/ir/constants.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/csrc/jit/ir/scope.h>

#include <cctype>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "frontends/torchscript/source_frames.h"
#include "frontends/torchscript/value_kind.h"
#include "common/log.h"

namespace cms::frontends {

namespace jit = torch::jit;

namespace {

std::optional<DType> dtypeOf(c10::ScalarType t) {
    switch (t) {
        case c10::ScalarType::Float: return DType::Float32;
        case c10::ScalarType::Double: return DType::Float64;
        case c10::ScalarType::Half: return DType::Float16;
        case c10::ScalarType::BFloat16: return DType::BFloat16;
        case c10::ScalarType::Long: return DType::Int64;
        case c10::ScalarType::Int: return DType::Int32;
        case c10::ScalarType::Short: return DType::Int16;
        case c10::ScalarType::Char: return DType::Int8;
        case c10::ScalarType::Byte: return DType::UInt8;
        case c10::ScalarType::Bool: return DType::Bool;
        default: return std::nullopt;
    }
}

// "x.3" -> "x": TorchScript appends ".N" to keep debug names unique; users never wrote it.
std::string withoutUniqueSuffix(const std::string& name) {
    const auto dot = name.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return name;
    for (size_t i = dot + 1; i < name.size(); ++i)
        if (!std::isdigit(static_cast<unsigned char>(name[i]))) return name;
    return name.substr(0, dot);
}

// "__torch__.torch.nn.modules.conv.___torch_mangle_3.Conv2d" -> "Conv2d".
std::string classNameOf(const c10::ClassTypePtr& type) {
    if (!type || !type->name()) return {};
    return type->name()->name();
}

// The frames a source range stands for, innermost first, mapped back to the user's Python
// source where the archive's debug info records it.
std::vector<SourceFrame> framesOf(const jit::SourceRange& range) {
    if (!range.source()) return {};
    const auto original = range.findSourceRangeThatGenerated();
    const jit::SourceRange& r = original ? *original : range;
    if (!r.source()) return {};
    std::vector<SourceFrame> frames = parseTraceStack(r.text().str());
    if (!frames.empty()) return frames;
    if (const auto flc = r.file_line_col()) {
        const std::string& file = std::get<0>(*flc);
        if (!file.empty()) return {{file, static_cast<int>(std::get<1>(*flc))}};
    }
    return {};
}

ir::Provenance provenanceOf(const jit::Node* node, const std::string& rootModuleType) {
    ir::Provenance prov;
    prov.sourceOp = node->kind().toQualString();
    std::vector<jit::InlinedCallStackEntry> calls;
    if (const auto stack = node->callstack()) calls = (*stack)->vec();  // outermost call first

    std::string path;
    for (const auto& entry : calls) {
        const auto& module = std::get<2>(entry);
        if (!module) continue;
        // Inlining a module's call to its own methods records the instance as "SELF".
        const std::string name = module->instance_name();
        if (name != "SELF") path += (path.empty() ? "" : ".") + name;
        prov.moduleType = classNameOf(module->class_type());
    }
    prov.modulePath = path;
    if (path.empty() && prov.moduleType.empty()) prov.moduleType = rootModuleType;

    // Innermost user-visible frame: the node's own range, then each call site outwards.
    std::vector<SourceFrame> candidates = framesOf(node->sourceRange());
    for (auto it = calls.rbegin(); it != calls.rend(); ++it) {
        std::vector<SourceFrame> more = framesOf(std::get<1>(*it));
        candidates.insert(candidates.end(), more.begin(), more.end());
    }
    for (const SourceFrame& f : candidates) {
        if (isUserVisible(f.file)) {
            prov.file = f.file;
            prov.line = f.line;
            return prov;
        }
    }
    if (!candidates.empty()) {
        prov.file = candidates.front().file;
        prov.line = candidates.front().line;
    }
    return prov;
}

class GraphTranslator {
public:
    GraphTranslator(ir::Graph& out, std::string rootModuleType)
        : out_(out), rootModuleType_(std::move(rootModuleType)) {}

    // Outline mode: `self` is `root`; attribute reads on modules are resolved here, not translated.
    void outline(const jit::Module& root) {
        outline_ = true;
        root_ = c10::IValue(root._ivalue());
    }

    void run(const jit::Graph& source) {
        for (const jit::Value* in : source.inputs()) {
            ir::Value* v = define(in, nullptr);
            if (outline_ && in == source.inputs()[0]) modules_[in] = {root_, ""};
            // `self` (the module object) is not a model input; after freezing nothing reads it.
            if (in->type()->kind() == c10::TypeKind::ClassType) continue;
            out_.top().inputs.push_back(v);
            const std::string name = in->hasDebugName() ? withoutUniqueSuffix(in->debugName()) : std::string();
            out_.inputNames.push_back(uniqueUserName(name, "input_" + std::to_string(out_.inputNames.size())));
        }
        translateBlock(*source.block(), out_.top());
        const size_t outputCount = source.outputs().size();
        for (size_t i = 0; i < outputCount; ++i) {
            const jit::Value* result = source.outputs()[i];
            out_.top().outputs.push_back(lookup(result));
            std::string fallback = outputCount == 1 ? "output" : "output_" + std::to_string(i);
            const std::string name = result->hasDebugName() ? withoutUniqueSuffix(result->debugName()) : fallback;
            out_.outputNames.push_back(uniqueUserName(name, fallback));
        }
    }

private:
    void translateBlock(const jit::Block& source, ir::Block& target) {
        for (const jit::Node* n : source.nodes()) {
            if (n->kind() == c10::prim::Constant) {
                translateConstant(n, target);
                continue;
            }
            // print() in scripted code writes to the console and returns nothing: a package has no console.
            if (n->kind() == c10::prim::Print) {
                if (droppedPrints_++ == 0) {
                    out_.warnings.push_back("print() in the model's code at " +
                                            provenanceOf(n, rootModuleType_).describe() +
                                            " is left out of the package (Core ML has no console)");
                    logger()->warn("{}: {}", out_.sourcePath, out_.warnings.back());
                }
                continue;
            }
            if (outline_ && n->kind() == c10::prim::GetAttr && modules_.count(n->input(0))) {
                readAttribute(n, target);
                continue;
            }
            ir::Node* node = out_.newNode(n->kind().toQualString(), provenanceOf(n, rootModuleType_));
            if (outline_ && n->kind() == c10::prim::CallMethod && modules_.count(n->input(0))) {
                // The call stands for the whole submodule: the view draws it as that module's group.
                const auto& [object, path] = modules_.at(n->input(0));
                node->prov.modulePath = path;
                node->prov.moduleType =
                    path.empty() ? rootModuleType_ : classNameOf(object.type()->cast<c10::ClassType>());
            }
            for (const jit::Value* in : n->inputs())
                if (!isHandle(in)) node->inputs.push_back(lookup(in));
            for (const jit::Block* sub : n->blocks()) {
                ir::Block* block = out_.newBlock();
                for (const jit::Value* param : sub->inputs()) block->inputs.push_back(define(param, nullptr));
                translateBlock(*sub, *block);
                for (const jit::Value* result : sub->outputs()) block->outputs.push_back(lookup(result));
                node->blocks.push_back(block);
            }
            for (const jit::Value* result : n->outputs()) node->outputs.push_back(define(result, node));
            target.nodes.push_back(node);
        }
    }

    void translateConstant(const jit::Node* n, ir::Block& target) {
        const jit::Value* result = n->output();
        const auto value = jit::toIValue(result);
        // A called function's handle: inlining left it unused (freezing would remove it too); an outline
        // keeps the call but not the handle.
        if (!value && isHandle(result) && (outline_ || !result->hasUses())) return;
        if (!value)
            throw Error(ErrorKind::Internal, "TorchScript constant %" + result->debugName() + " has no value", {},
                        "please report this model");
        ir::Value* v = constantValue(*value, result->debugName(), n, target);
        // Keep TorchScript's own typing (e.g. "int[]", "Device") for the inspector and lowering.
        v->kind = valueKindOf(result->type());
        v->typeName = result->type()->str();
        values_[result] = v;
    }

    // Lists of tensors/strings and tuples have no IR constant form: they become construct
    // nodes over constant elements, which lowering handles like any other list or tuple.
    ir::Value* constantValue(const c10::IValue& iv, const std::string& name, const jit::Node* site,
                             ir::Block& target) {
        const std::string unique = uniqueValueName(name);
        if (iv.isNone()) return out_.newConstant(unique, ir::NoneValue{});
        if (iv.isBool()) return out_.newConstant(unique, iv.toBool());
        if (iv.isInt()) return out_.newConstant(unique, static_cast<int64_t>(iv.toInt()));
        if (iv.isDouble()) return out_.newConstant(unique, iv.toDouble());
        if (iv.isString()) return out_.newConstant(unique, iv.toStringRef());
        if (iv.isDevice()) {
            // Everything is imported onto the CPU, whatever device the model was traced on.
            ir::Value* v = out_.newConstant(unique, std::string("cpu"));
            v->kind = ir::ValueKind::Device;
            v->typeName = "Device";
            return v;
        }
        if (iv.isIntList()) {
            const auto ints = iv.toIntVector();
            return out_.newConstant(unique, std::vector<int64_t>(ints.begin(), ints.end()));
        }
        if (iv.isDoubleList()) return out_.newConstant(unique, iv.toDoubleVector());
        if (iv.isBoolList()) {
            std::vector<bool> bools;
            for (bool b : iv.toBoolList()) bools.push_back(b);
            return out_.newConstant(unique, std::move(bools));
        }
        if (iv.isTensor()) return out_.newConstant(unique, borrowTensor(iv.toTensor(), site));
        if (iv.isTuple() || iv.isList()) {
            const bool tuple = iv.isTuple();
            std::vector<c10::IValue> elements;
            if (tuple) for (const c10::IValue& e : iv.toTupleRef().elements()) elements.push_back(e);
            else for (const c10::IValue& e : iv.toList()) elements.push_back(e);
            ir::Node* node = out_.newNode(tuple ? "prim::TupleConstruct" : "prim::ListConstruct",
                                          provenanceOf(site, rootModuleType_));
            for (size_t i = 0; i < elements.size(); ++i) {
                ir::Value* e = constantValue(elements[i], name + "." + std::to_string(i), site, target);
                e->kind = valueKindOf(elements[i].type());
                e->typeName = elements[i].type()->str();
                node->inputs.push_back(e);
            }
            ir::Value* v = out_.newValue(unique, tuple ? ir::ValueKind::Tuple : ir::ValueKind::List, iv.type()->str());
            v->producer = node;
            node->outputs.push_back(v);
            target.nodes.push_back(node);
            return v;
        }
        throw Error(ErrorKind::Unsupported,
                    "constant %" + name + " of type " + iv.type()->str() + " cannot be imported",
                    {out_.sourcePath, provenanceOf(site, rootModuleType_).describe()},
                    "models with quantized packed parameters or custom class objects are not supported yet; "
                    "export the float model");
    }

    // Wraps a weight's storage without copying; the shared at::Tensor keeps it alive.
    Tensor borrowTensor(const at::Tensor& source, const jit::Node* site) {
        const auto where = [&] {
            return ErrorLocation{out_.sourcePath, provenanceOf(site, rootModuleType_).describe()};
        };
        if (source.is_quantized() || source.is_sparse() || source.is_mkldnn())
            throw Error(ErrorKind::Unsupported, "quantized, sparse and MKL-DNN weight tensors cannot be imported",
                        where(), "export the model with dense float weights");
        const auto dtype = dtypeOf(source.scalar_type());
        if (!dtype)
            throw Error(ErrorKind::Unsupported,
                        std::string("weight tensors of dtype ") + c10::toString(source.scalar_type()) +
                            " cannot be imported", where(), "convert the weight to float32 before exporting");
        auto held = std::make_shared<at::Tensor>(source.to(at::kCPU).contiguous());
        Shape shape(held->sizes().begin(), held->sizes().end());
        const auto* data = static_cast<const uint8_t*>(held->data_ptr());
        const size_t size = held->nbytes();
        // libtorch does not check a loaded tensor against its storage (the importer's pickle guard does, before
        // the load); a tensor reaching past it here must not be read.
        const size_t storageBytes = held->storage().nbytes();
        const size_t offsetBytes = static_cast<size_t>(held->storage_offset()) * held->element_size();
        if (held->storage_offset() < 0 || offsetBytes > storageBytes || size > storageBytes - offsetBytes)
            throw Error(ErrorKind::Input, "a weight tensor reaches past the end of its storage", where(),
                        "the file is damaged or crafted; export the model again");
        return Tensor(*dtype, std::move(shape), std::shared_ptr<const void>(held, held.get()), data, size);
    }

    // Outline mode: a submodule becomes a handle for the calls on it; anything else the root reads (a
    // parameter, buffer or setting) becomes a constant, borrowed like a frozen weight.
    void readAttribute(const jit::Node* n, ir::Block& target) {
        const auto& [object, path] = modules_.at(n->input(0));
        const std::string name = n->s(c10::attr::name);
        const c10::IValue attribute = object.toObject()->getAttr(name);
        const std::string attributePath = path.empty() ? name : path + "." + name;
        if (attribute.isObject()) {
            modules_[n->output()] = {attribute, attributePath};
            return;
        }
        ir::Value* v = constantValue(attribute, attributePath, n, target);
        v->kind = valueKindOf(n->output()->type());
        v->typeName = n->output()->type()->str();
        values_[n->output()] = v;
    }

    // Values that name code or an object rather than data: never an op's input in our IR.
    bool isHandle(const jit::Value* v) const {
        return v->type()->kind() == c10::TypeKind::FunctionType || (outline_ && modules_.count(v));
    }

    ir::Value* define(const jit::Value* v, ir::Node* producer) {
        ir::Value* value = out_.newValue(uniqueValueName(v->debugName()), valueKindOf(v->type()), v->type()->str());
        value->producer = producer;
        values_[v] = value;
        return value;
    }

    ir::Value* lookup(const jit::Value* v) const {
        const auto it = values_.find(v);
        if (it == values_.end())
            throw Error(ErrorKind::Internal, "TorchScript value %" + v->debugName() + " is used before it is defined",
                        {out_.sourcePath, ""}, "please report this model");
        return it->second;
    }

    std::string uniqueValueName(const std::string& name) {
        std::string candidate = name;
        for (int i = 1; !usedValueNames_.insert(candidate).second; ++i) candidate = name + "_" + std::to_string(i);
        return candidate;
    }

    // Input and output names share one namespace: Core ML features must be distinct.
    std::string uniqueUserName(const std::string& preferred, const std::string& fallback) {
        if (!preferred.empty() && usedUserNames_.insert(preferred).second) return preferred;
        if (usedUserNames_.insert(fallback).second) return fallback;
        for (int i = 1;; ++i) {
            const std::string candidate = fallback + "_" + std::to_string(i);
            if (usedUserNames_.insert(candidate).second) return candidate;
        }
    }

    ir::Graph& out_;
    std::string rootModuleType_;
    bool outline_ = false;
    c10::IValue root_;
    std::unordered_map<const jit::Value*, std::pair<c10::IValue, std::string>> modules_;  // object, path
    std::unordered_map<const jit::Value*, ir::Value*> values_;
    std::unordered_set<std::string> usedValueNames_;
    std::unordered_set<std::string> usedUserNames_;
    size_t droppedPrints_ = 0;
};

}  // namespace

void translateTorchScriptGraph(const std::shared_ptr<torch::jit::Graph>& source, const std::string& rootModuleType,
                               ir::Graph& out) {
    GraphTranslator(out, rootModuleType).run(*source);
}

void translateModuleOutline(const torch::jit::Module& root, const std::string& rootModuleType, ir::Graph& out) {
    GraphTranslator translator(out, rootModuleType);
    translator.outline(root);
    translator.run(*root.get_method("forward").graph());
}

}  // namespace cms::frontends
