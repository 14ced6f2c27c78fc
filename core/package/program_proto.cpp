#include "package/program_proto.h"

#include <cstring>
#include <unordered_map>

#include "common/error.h"

namespace cms::package {

namespace {

const char* const kDamagedHint = "The model file is damaged or was written by a tool this version cannot read.";

[[noreturn]] void fail(const std::string& file, const std::string& what, const std::string& hint = kDamagedHint) {
    throw Error(ErrorKind::Package, "cannot read the ML Program in " + file + ": " + what, {file, {}}, hint);
}

bool startsWith(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
bool isConstexpr(const std::string& opType) { return startsWith(opType, "constexpr_"); }

// Which dtypes Core ML reads from a weight file for each target (wider integer and sub-byte types came
// with iOS18); the rest stay inline.
bool weightFileAccepts(DType dtype, mil::Target target) {
    switch (dtype) {
        case DType::Float16: case DType::Float32: case DType::UInt8: case DType::Int8: return true;
        case DType::Int16: case DType::UInt16: case DType::Int32: case DType::UInt32: case DType::Int4:
        case DType::UInt1: case DType::UInt2: case DType::UInt3: case DType::UInt4: case DType::UInt6:
            return target >= mil::Target::iOS18;
        default: return false;
    }
}

void setStringScalar(const std::string& s, pb::Value& out) { setImmediateTensor(Tensor::string(s), out); }

// ---------------------------------------------------------------- writing

class ProgramWriter {
public:
    ProgramWriter(const mil::Program& program, int64_t inlineLimit, WeightBlobWriter& weights)
        : program_(program), inlineLimit_(inlineLimit), weights_(weights) {}

    void write(pb::Program& out) {
        out.set_version(1);
        const std::string opset = mil::opsetName(program_.target);
        for (const auto& [name, f] : program_.functions) {
            countUses(f.body);
            pb::Function& pf = (*out.mutable_functions())[name];
            for (const mil::Value* in : f.inputs) {
                pb::NamedValueType* nv = pf.add_inputs();
                nv->set_name(in->name);
                setValueType(in->type, *nv->mutable_type());
            }
            pf.set_opset(opset);
            writeBlock(f.body, (*pf.mutable_block_specializations())[opset], false);
        }
    }

private:
    struct Uses {
        int byConstexpr = 0;
        int byOthers = 0;
    };

    void countUses(const mil::Block& b) {
        for (const auto& op : b.ops) {
            for (const auto& in : op->inputs)
                for (const mil::Value* v : in.values) ++(isConstexpr(op->type) ? uses_[v].byConstexpr : uses_[v].byOthers);
            for (const auto& sub : op->blocks) countUses(*sub);
        }
        for (const mil::Value* v : b.outputs) ++uses_[v].byOthers;
    }

    // coremltools binds constexpr inputs as literals and leaves out consts that only feed them.
    bool onlyFeedsConstexpr(const mil::Value* v) const {
        const auto it = uses_.find(v);
        return it != uses_.end() && it->second.byConstexpr > 0 && it->second.byOthers == 0;
    }

    void writeValue(const Tensor& t, pb::Value& out) {
        if (t.dtype() != DType::String && t.numel() > inlineLimit_ && weightFileAccepts(t.dtype(), program_.target)) {
            setValueType(mil::TensorType{t.dtype(), t.shape()}, *out.mutable_type());
            pb::Value::BlobFileValue* bf = out.mutable_blobfilevalue();
            bf->set_filename(kWeightFileReference);
            bf->set_offset(weights_.append(t));
        } else {
            setImmediateTensor(t, out);
        }
    }

    void writeBlock(const mil::Block& b, pb::Block& out, bool withInputs) {
        if (withInputs)
            for (const mil::Value* in : b.inputs) {
                pb::NamedValueType* nv = out.add_inputs();
                nv->set_name(in->name);
                setValueType(in->type, *nv->mutable_type());
            }
        for (const auto& op : b.ops) {
            if (op->type == "const" && op->output() && onlyFeedsConstexpr(op->output())) continue;
            if (op->type == "coreml_update_state") {
                writeStateUpdate(*op, out);
                continue;
            }
            writeOp(*op, *out.add_operations());
        }
        for (const mil::Value* v : b.outputs) out.add_outputs(v->name);
    }

    // Core ML's program has no coreml_update_state: it is write_state, then read_state when its value is used.
    void writeStateUpdate(const mil::Operation& op, pb::Block& out) {
        const auto bind = [](pb::Operation& o, const std::string& key, const mil::Value* v) {
            pb::InputEntry* e = o.add_inputs();
            e->set_key(key);
            e->mutable_value()->add_arguments()->set_name(v->name);
        };
        pb::Operation& write = *out.add_operations();
        write.set_type("write_state");
        setStringScalar(op.name + "_write_state", (*write.mutable_attributes())["name"]);
        bind(write, "input", op.input("state"));
        bind(write, "data", op.input("value"));
        const auto used = uses_.find(op.output());
        if (used == uses_.end() || used->second.byOthers + used->second.byConstexpr == 0) return;
        pb::Operation& read = *out.add_operations();
        read.set_type("read_state");
        setStringScalar(op.name, (*read.mutable_attributes())["name"]);
        bind(read, "input", op.input("state"));
        pb::NamedValueType* nv = read.add_outputs();
        nv->set_name(op.output()->name);
        setValueType(op.output()->type, *nv->mutable_type());
    }

    const Tensor& constOf(const mil::Operation& op, const mil::Value* v, const std::string& param) const {
        if (!v->constValue)
            throw Error(ErrorKind::Internal,
                        "op " + op.name + " (" + op.type + ") needs a constant for " + param + ", got " + v->name,
                        {{}, op.prov.describe()}, "This is a converter bug: please report it with the model.");
        return *v->constValue;
    }

    void writeOp(const mil::Operation& op, pb::Operation& out) {
        out.set_type(op.type);
        setStringScalar(op.name, (*out.mutable_attributes())["name"]);
        if (op.type == "const") {
            const mil::Value* v = op.output();
            if (!v || !v->constValue)
                throw Error(ErrorKind::Internal, "const op " + op.name + " has no value", {{}, op.prov.describe()},
                            "This is a converter bug: please report it with the model.");
            writeValue(*v->constValue, (*out.mutable_attributes())["val"]);
        } else if (isConstexpr(op.type) && program_.target <= mil::Target::iOS17) {
            // Before iOS18, constexpr ops take their parameters as attributes.
            for (const auto& in : op.inputs)
                for (const mil::Value* v : in.values) writeValue(constOf(op, v, in.name), (*out.mutable_attributes())[in.name]);
        } else {
            for (const auto& in : op.inputs) {
                pb::InputEntry* e = out.add_inputs();
                e->set_key(in.name);
                pb::Argument* arg = e->mutable_value();
                for (const mil::Value* v : in.values) {
                    pb::Argument::Binding* binding = arg->add_arguments();
                    const bool literal = isConstexpr(op.type) && v->constValue && v->producer &&
                                         v->producer->type == "const";
                    if (literal) writeValue(*v->constValue, *binding->mutable_value());
                    else binding->set_name(v->name);
                }
            }
        }
        for (const mil::Value* v : op.outputs) {
            pb::NamedValueType* nv = out.add_outputs();
            nv->set_name(v->name);
            setValueType(v->type, *nv->mutable_type());
        }
        for (const auto& sub : op.blocks) writeBlock(*sub, *out.add_blocks(), true);
    }

    const mil::Program& program_;
    int64_t inlineLimit_;
    WeightBlobWriter& weights_;
    std::unordered_map<const mil::Value*, Uses> uses_;
};

// ---------------------------------------------------------------- reading

class ProgramReader {
public:
    ProgramReader(mil::Program& program, const WeightFileResolver& weights, const std::string& file)
        : program_(program), weights_(weights), file_(file) {}

    void read(const pb::Program& proto) {
        if (proto.version() != 1) fail(file_, "program version " + std::to_string(proto.version()) + " (expected 1)");
        if (proto.functions().empty()) fail(file_, "the program has no functions");
        bool first = true;
        // Sorted by name so that reading is deterministic (the proto map has no order).
        std::map<std::string, const pb::Function*> functions;
        for (const auto& [name, f] : proto.functions()) functions[name] = &f;
        for (const auto& [name, pf] : functions) {
            const auto opset = mil::targetFromOpsetName(pf->opset());
            if (!opset)
                fail(file_, "function " + name + " uses opset \"" + pf->opset() + "\", which this version does not know",
                     "Convert the model for iOS18 or older, or update Conversion Studio.");
            if (first || *opset > program_.target) program_.target = *opset;
            first = false;
            mil::Function& f = program_.addFunction(name, *opset);
            scopes_.assign(1, {});
            for (const pb::NamedValueType& in : pf->inputs())
                f.inputs.push_back(define(in, "input of function " + name));
            const auto block = pf->block_specializations().find(pf->opset());
            if (block == pf->block_specializations().end())
                fail(file_, "function " + name + " has no block for its opset " + pf->opset());
            readBlock(block->second, f.body, *opset);
        }
    }

private:
    using Scope = std::unordered_map<std::string, mil::Value*>;

    mil::TensorType tensorType(const pb::ValueType& vt, const std::string& what) const {
        if (vt.type_case() == pb::ValueType::kStateType) {
            mil::TensorType wrapped = tensorType(vt.statetype().wrappedtype(), what + " (wrapped in its state)");
            if (wrapped.state) fail(file_, what + " is a state of a state");
            wrapped.state = true;
            return wrapped;
        }
        if (vt.type_case() != pb::ValueType::kTensorType) {
            static const char* const kinds[] = {"no", "tensor", "list", "tuple", "dictionary", "state"};
            const int k = static_cast<int>(vt.type_case());
            fail(file_, what + " has a " + std::string(k >= 0 && k <= 5 ? kinds[k] : "unknown") +
                            " type; only tensors are supported",
                 "Models with list, tuple, dictionary or state values cannot be read by this version.");
        }
        const pb::TensorType& tt = vt.tensortype();
        if (!pb::DataType_IsValid(tt.datatype()) || dtypeName(static_cast<DType>(tt.datatype())) == "invalid")
            fail(file_, what + " has unsupported data type code " + std::to_string(tt.datatype()));
        if (tt.rank() < 0) fail(file_, what + " has a tensor of unknown rank, which is not supported");
        if (tt.rank() != tt.dimensions_size())
            fail(file_, what + " declares rank " + std::to_string(tt.rank()) + " with " +
                            std::to_string(tt.dimensions_size()) + " dimensions");
        mil::TensorType t;
        t.dtype = static_cast<DType>(tt.datatype());
        for (const pb::Dimension& d : tt.dimensions()) {
            if (d.has_constant()) {
                if (d.constant().size() > static_cast<uint64_t>(INT64_MAX)) fail(file_, what + " has an impossible dimension");
                t.shape.push_back(static_cast<int64_t>(d.constant().size()));
            } else if (d.has_unknown() && !d.unknown().variadic()) {
                t.shape.push_back(mil::kUnknownDim);
            } else {
                fail(file_, what + " has a variadic dimension, which is not supported");
            }
        }
        return t;
    }

    Tensor tensorValue(const pb::Value& v, const std::string& what) const {
        const mil::TensorType t = tensorType(v.type(), what);
        if (!t.isStatic()) fail(file_, what + " is a constant without a fixed shape");
        if (v.has_blobfilevalue()) {
            const pb::Value::BlobFileValue& bf = v.blobfilevalue();
            try {
                return weights_(bf.filename()).tensor(bf.offset(), t.dtype, t.shape);
            } catch (const Error& e) {
                throw Error(e.kind(), e.message() + " (value of " + what + ")", {e.file(), e.node()}, e.hint());
            }
        }
        if (!v.has_immediatevalue() || !v.immediatevalue().has_tensor())
            fail(file_, what + " is not a tensor value", "Models with list, tuple or dictionary constants cannot be read by this version.");
        return immediateTensor(v.immediatevalue().tensor(), t.dtype, t.shape, what, file_);
    }

    mil::Value* define(const pb::NamedValueType& nv, const std::string& what) {
        if (nv.name().empty()) fail(file_, what + " has no name");
        for (const Scope& s : scopes_)
            if (s.count(nv.name())) fail(file_, "value " + nv.name() + " is defined twice");
        mil::Value* v = program_.newValueNamed(nv.name(), tensorType(nv.type(), what + " " + nv.name()));
        scopes_.back()[nv.name()] = v;
        return v;
    }

    mil::Value* lookup(const std::string& name, const std::string& what) const {
        for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
            const auto found = it->find(name);
            if (found != it->end()) return found->second;
        }
        fail(file_, what + " refers to " + (name.empty() ? std::string("an unnamed value") : "\"" + name + "\"") +
                        ", which is not defined before it");
    }

    // A literal bound to an op (constexpr parameters, classifier labels) becomes an explicit const op.
    mil::Value* literalConst(const pb::Value& v, const mil::Operation& user, const std::string& param,
                             mil::Block& block) {
        auto op = std::make_unique<mil::Operation>();
        op->type = "const";
        Tensor t = tensorValue(v, "op " + user.name + " parameter " + param);
        mil::Value* out = program_.newValue(user.name + "_" + param, mil::TensorType{t.dtype(), t.shape()});
        op->name = out->name;
        out->constValue = std::move(t);
        out->producer = op.get();
        op->outputs.push_back(out);
        scopes_.back()[out->name] = out;
        block.ops.push_back(std::move(op));
        return out;
    }

    void readBlock(const pb::Block& pbBlock, mil::Block& block, mil::Target opset) {
        for (const pb::Operation& pop : pbBlock.operations()) readOp(pop, block, opset);
        for (const std::string& name : pbBlock.outputs()) block.outputs.push_back(lookup(name, "a block output"));
    }

    void readOp(const pb::Operation& pop, mil::Block& block, mil::Target opset) {
        auto op = std::make_unique<mil::Operation>();
        op->type = pop.type();
        if (op->type.empty()) fail(file_, "an operation has no type");
        const auto nameAttr = pop.attributes().find("name");
        if (nameAttr != pop.attributes().end()) {
            const Tensor n = tensorValue(nameAttr->second, "the name of a " + op->type + " op");
            if (n.dtype() != DType::String) fail(file_, "the name attribute of a " + op->type + " op is not a string");
            op->name = n.stringValue();
        } else if (pop.outputs_size() > 0) {
            op->name = pop.outputs(0).name();
        } else {
            op->name = program_.uniqueName(op->type);
        }
        program_.reserveName(op->name);
        const std::string what = "op " + op->name + " (" + op->type + ")";

        for (const pb::InputEntry& e : pop.inputs()) {
            for (const auto& in : op->inputs)
                if (in.name == e.key()) fail(file_, what + " binds input " + e.key() + " twice");
            mil::OpInput in{e.key(), {}};
            for (const pb::Argument::Binding& b : e.value().arguments()) {
                if (b.binding_case() == pb::Argument::Binding::kName)
                    in.values.push_back(lookup(b.name(), what + " input " + e.key()));
                else if (b.binding_case() == pb::Argument::Binding::kValue)
                    in.values.push_back(literalConst(b.value(), *op, e.key(), block));
                else
                    fail(file_, what + " input " + e.key() + " has an empty binding");
            }
            op->inputs.push_back(std::move(in));
        }
        // Attributes other than the name are parameters: the const's value, or (constexpr ops before
        // iOS18) inputs given as literals. Sorted by name, as the proto map has no order.
        std::map<std::string, const pb::Value*> attrs;
        for (const auto& [key, value] : pop.attributes())
            if (key != "name") attrs[key] = &value;
        Tensor constValue;
        if (op->type == "const") {
            const auto val = attrs.find("val");
            if (val == attrs.end()) fail(file_, what + " has no \"val\" attribute");
            constValue = tensorValue(*val->second, what);
        } else {
            for (const auto& [key, value] : attrs) op->inputs.push_back({key, {literalConst(*value, *op, key, block)}});
        }

        for (const pb::NamedValueType& nv : pop.outputs()) {
            mil::Value* v = define(nv, "output of " + what);
            v->producer = op.get();
            op->outputs.push_back(v);
        }
        if (op->type == "write_state") {
            // In memory a state write is coreml_update_state, which also returns the value written.
            if (!op->outputs.empty()) fail(file_, what + " must have no outputs");
            op->type = "coreml_update_state";
            mil::Value* value = nullptr;
            for (mil::OpInput& in : op->inputs) {
                if (in.name == "input") in.name = "state";
                else if (in.name == "data") in.name = "value";
                if (in.name == "value" && in.values.size() == 1) value = in.values.front();
            }
            if (!value) fail(file_, what + " has no data to write");
            mil::Value* out =
                program_.newValue(op->name + "_written", mil::TensorType{value->type.dtype, value->type.shape});
            out->producer = op.get();
            op->outputs.push_back(out);
        }
        if (op->type == "const") {
            if (op->outputs.size() != 1) fail(file_, what + " must have exactly one output");
            mil::Value* out = op->outputs.front();
            if (out->type != mil::TensorType{constValue.dtype(), constValue.shape()})
                fail(file_, what + " declares type " + out->type.toString() + " but its value is " +
                                mil::TensorType{constValue.dtype(), constValue.shape()}.toString());
            out->constValue = std::move(constValue);
        }
        for (const pb::Block& pb : pop.blocks()) {
            auto sub = std::make_unique<mil::Block>();
            scopes_.emplace_back();
            for (const pb::NamedValueType& in : pb.inputs()) sub->inputs.push_back(define(in, "input of a block in " + what));
            readBlock(pb, *sub, opset);
            scopes_.pop_back();
            op->blocks.push_back(std::move(sub));
        }
        block.ops.push_back(std::move(op));
    }

    mil::Program& program_;
    const WeightFileResolver& weights_;
    std::string file_;
    std::vector<Scope> scopes_;
};

template <class T>
void copyRepeated(const google::protobuf::RepeatedField<T>& src, void* dst) {
    if (!src.empty()) std::memcpy(dst, src.data(), sizeof(T) * static_cast<size_t>(src.size()));
}

}  // namespace

void setValueType(const mil::TensorType& type, pb::ValueType& out) {
    if (type.state) {
        setValueType(mil::TensorType{type.dtype, type.shape}, *out.mutable_statetype()->mutable_wrappedtype());
        return;
    }
    pb::TensorType* tt = out.mutable_tensortype();
    tt->set_datatype(static_cast<pb::DataType>(static_cast<int>(type.dtype)));
    tt->set_rank(static_cast<int64_t>(type.shape.size()));
    for (int64_t d : type.shape) {
        pb::Dimension* dim = tt->add_dimensions();
        if (d < 0) dim->mutable_unknown()->set_variadic(false);
        else dim->mutable_constant()->set_size(static_cast<uint64_t>(d));
    }
}

void setImmediateTensor(const Tensor& t, pb::Value& out) {
    setValueType(mil::TensorType{t.dtype(), t.shape()}, *out.mutable_type());
    pb::TensorValue* tv = out.mutable_immediatevalue()->mutable_tensor();
    const int64_t n = t.numel();
    switch (t.dtype()) {
        case DType::Bool: {
            auto* f = tv->mutable_bools()->mutable_values();
            for (int64_t i = 0; i < n; ++i) f->Add(t.bytes()[i] != 0);
            break;
        }
        case DType::String: tv->mutable_strings()->add_values(t.stringValue()); break;
        case DType::Float32: {
            auto* f = tv->mutable_floats()->mutable_values();
            f->Add(t.data<float>(), t.data<float>() + n);
            break;
        }
        case DType::Float64: {
            auto* f = tv->mutable_doubles()->mutable_values();
            f->Add(t.data<double>(), t.data<double>() + n);
            break;
        }
        case DType::Int16: case DType::UInt16: case DType::Int32: {
            auto* f = tv->mutable_ints()->mutable_values();
            for (int64_t v : t.toInts()) f->Add(static_cast<int32_t>(v));
            break;
        }
        case DType::Int64: case DType::UInt64: {
            auto* f = tv->mutable_longints()->mutable_values();
            f->Resize(static_cast<int>(n), 0);
            if (n) std::memcpy(f->mutable_data(), t.bytes(), t.nbytes());
            break;
        }
        // Core ML reads these from the raw bytes field (sub-byte types packed least significant bits first).
        case DType::Float16: case DType::BFloat16: case DType::Int8: case DType::UInt8: case DType::UInt32:
        case DType::Int4: case DType::UInt1: case DType::UInt2: case DType::UInt3: case DType::UInt4: case DType::UInt6:
            tv->mutable_bytes()->set_values(reinterpret_cast<const char*>(t.bytes()), t.nbytes());
            break;
        case DType::Invalid:
            throw Error(ErrorKind::Internal, "cannot write a tensor without a dtype");
    }
}

Tensor immediateTensor(const pb::TensorValue& tv, DType dtype, const Shape& shape, const std::string& what,
                       const std::string& file) {
    const int64_t n = shapeNumel(shape);
    auto count = [&](int64_t have) {
        if (have != n)
            fail(file, what + " holds " + std::to_string(have) + " values but its type " +
                           mil::TensorType{dtype, shape}.toString() + " needs " + std::to_string(n));
    };
    if (dtype == DType::String) {
        if (tv.value_case() != pb::TensorValue::kStrings || !shape.empty() || tv.strings().values_size() != 1)
            fail(file, what + " is not a single string (string tensors are not supported)");
        return Tensor::string(tv.strings().values(0));
    }
    // Decoded as the field's own type, then converted to the declared dtype.
    auto typed = [&](DType fieldType, const void* data) {
        std::vector<uint8_t> bytes(packedByteSize(fieldType, n));
        if (!bytes.empty()) std::memcpy(bytes.data(), data, bytes.size());
        return Tensor(fieldType, shape, std::move(bytes)).castTo(dtype);
    };
    switch (tv.value_case()) {
        case pb::TensorValue::kBytes: {
            const std::string& b = tv.bytes().values();
            if (b.size() != packedByteSize(dtype, n))
                fail(file, what + " holds " + std::to_string(b.size()) + " bytes but its type " +
                               mil::TensorType{dtype, shape}.toString() + " needs " +
                               std::to_string(packedByteSize(dtype, n)));
            return Tensor(dtype, shape, std::vector<uint8_t>(b.begin(), b.end()));
        }
        case pb::TensorValue::kFloats:
            count(tv.floats().values_size());
            return typed(DType::Float32, tv.floats().values().data());
        case pb::TensorValue::kDoubles:
            count(tv.doubles().values_size());
            return typed(DType::Float64, tv.doubles().values().data());
        case pb::TensorValue::kInts:
            count(tv.ints().values_size());
            return typed(DType::Int32, tv.ints().values().data());
        case pb::TensorValue::kLongInts: {
            count(tv.longints().values_size());
            if (dtype == DType::UInt64) {
                std::vector<uint8_t> bytes(packedByteSize(dtype, n));
                copyRepeated(tv.longints().values(), bytes.data());
                return Tensor(dtype, shape, std::move(bytes));
            }
            return typed(DType::Int64, tv.longints().values().data());
        }
        case pb::TensorValue::kBools: {
            count(tv.bools().values_size());
            std::vector<bool> b(tv.bools().values().begin(), tv.bools().values().end());
            return Tensor::fromBools(b, shape).castTo(dtype);
        }
        default: fail(file, what + " has an immediate value without data");
    }
}

void programToProto(const mil::Program& program, int64_t inlineElementLimit, WeightBlobWriter& weights,
                    pb::Program& out) {
    ProgramWriter(program, inlineElementLimit, weights).write(out);
}

mil::Program programFromProto(const pb::Program& proto, const WeightFileResolver& weights, const std::string& file) {
    mil::Program program;
    ProgramReader(program, weights, file).read(proto);
    return program;
}

}  // namespace cms::package
