#include "frontends/keras/keras_importer.h"

#include <algorithm>
#include <set>

#include "common/error.h"
#include "frontends/keras/isolated_read.h"
#include "frontends/keras/keras_layers.h"
#include "frontends/keras/keras_limits.h"
#include "frontends/keras/keras_model_file.h"

namespace cms::frontends {

namespace {

using keras::IrEmitter;
using keras::KTensor;
using nlohmann::json;

const char* const kDamagedHint = "check the model file: it may be damaged or not written by Keras";

bool isModelClass(const std::string& cls) { return cls == "Sequential" || cls == "Functional" || cls == "Model"; }

// Where one (possibly nested) model sits: module path prefix, HDF5 layer-name chain, Keras 3 store path.
struct Scope {
    std::string pathPrefix;
    std::vector<std::string> names;
    std::string archivePath;
};

// A reference to a tensor in a Functional config: (layer, call index, output index), passed by position
// or, when `keyword` is set, by name (MultiHeadAttention's value=, key=).
struct TensorRef {
    std::string layer;
    size_t node = 0;
    size_t index = 0;
    std::string keyword;
};

// One call of a layer: the tensors it reads and its other keyword arguments.
struct CallSpec {
    std::vector<TensorRef> refs;
    json kwargs = json::object();
};

// The arguments of one layer call: tensors by position and by keyword, and other keyword arguments.
struct LayerArgs {
    std::vector<KTensor> positional;
    std::map<std::string, KTensor> named;
    json kwargs;
};

class ModelImporter {
public:
    ModelImporter(const KerasModelFile& file, ir::Graph& graph) : file_(file), graph_(graph), ir_(graph) {}

    void run() {
        const json& model = file_.modelConfig();
        const std::vector<KTensor> outputs = runModel(model, nullptr, Scope{});
        for (size_t i = 0; i < outputs.size(); ++i) {
            ir_.setLayer(outputNames_.size() > i ? outputNames_[i] : "output", "Output");
            graph_.top().outputs.push_back(ir_.channelsLast(outputs[i]));
            graph_.outputNames.push_back(uniqueUserName(i < outputNames_.size() ? outputNames_[i] : "output"));
        }
    }

private:
    [[noreturn]] void fail(const std::string& message, const std::string& where, const std::string& hint = {}) const {
        throw Error(ErrorKind::Input, message, {file_.path(), where}, hint);
    }

    static const json& configOf(const json& layer) {
        static const json empty = json::object();
        return layer.contains("config") && layer["config"].is_object() ? layer["config"] : empty;
    }

    static std::string nameOf(const json& layer) {
        const json& c = configOf(layer);
        if (layer.contains("name") && layer["name"].is_string()) return layer["name"].get<std::string>();
        return c.contains("name") && c["name"].is_string() ? c["name"].get<std::string>() : std::string();
    }

    static std::string classOf(const json& layer) {
        return layer.contains("class_name") && layer["class_name"].is_string() ? layer["class_name"].get<std::string>()
                                                                               : std::string();
    }

    std::vector<KTensor> runModel(const json& model, const std::vector<KTensor>* inputs, const Scope& scope) {
        const std::string cls = classOf(model);
        if (cls == "Sequential") return runSequential(model, inputs, scope);
        if (cls == "Functional" || cls == "Model") return runFunctional(model, inputs, scope);
        fail("the model's class \"" + cls + "\" is not a Sequential or Functional model", scope.pathPrefix,
             "subclassed models keep their call() in Python; rebuild the model with the Functional API or Sequential");
    }

    // The Keras 3 store paths of a model's layers: layers/<snake_case class>[_N], numbered per class.
    std::vector<std::string> archivePaths(const json& layers, const Scope& scope) {
        std::map<std::string, int> used;
        std::vector<std::string> out;
        for (const json& layer : layers) {
            std::string name = kerasSnakeCase(classOf(layer));
            const auto it = used.find(name);
            if (it == used.end())
                used[name] = 0;
            else
                name += "_" + std::to_string(++it->second);
            out.push_back((scope.archivePath.empty() ? "" : scope.archivePath + "/") + "layers/" + name);
        }
        return out;
    }

    // A graph input for an InputLayer (or a Sequential model's first layer) with its declared shape.
    KTensor graphInput(const json& config, const std::string& name, const std::string& where) {
        const json* shape = nullptr;
        for (const char* key : {"batch_shape", "batch_input_shape"})
            if (config.contains(key) && config[key].is_array()) shape = &config[key];
        Shape dims;
        if (shape) {
            for (size_t i = 0; i < shape->size(); ++i) {
                const json& d = (*shape)[i];
                if (d.is_number_integer())
                    dims.push_back(d.get<int64_t>());
                else if (i == 0)
                    dims.push_back(1);  // the batch: one sample
                else
                    fail(
                        "input \"" + name + "\" has an unknown dimension " + std::to_string(i) + " (shape " +
                            shape->dump() + ")",
                        where,
                        "give the input a fixed shape in the Keras model (keras.Input(shape=...) with every size set)");
            }
        } else if (config.contains("input_shape") && config["input_shape"].is_array()) {
            dims.push_back(1);
            for (const json& d : config["input_shape"]) {
                if (!d.is_number_integer()) fail("input \"" + name + "\" has an unknown dimension", where);
                dims.push_back(d.get<int64_t>());
            }
        } else {
            fail("the model does not declare its input shape", where,
                 "build the model with keras.Input(shape=...) (or input_shape= on the first layer) before saving");
        }
        if (const auto problem = keras::shapeProblem(dims))
            fail("input \"" + name + "\": " + *problem, where,
                 "give the input a shape with every size from 1 to 2^31-1 (keras.Input(shape=...))");
        std::string dtype = "float32";
        if (config.contains("dtype") && config["dtype"].is_string())
            dtype = config["dtype"].get<std::string>();
        else if (config.contains("dtype") && config["dtype"].is_object())
            dtype = configOf(config["dtype"]).value("name", "float32");
        const std::string userName = uniqueUserName(name.empty() ? "input" : name);
        ir::Value* v = graph_.newValue(userName, ir::ValueKind::Tensor, "Tensor");
        if (dtype.rfind("int", 0) == 0 || dtype.rfind("uint", 0) == 0)
            v->dtype = DType::Int32;
        else if (dtype == "float32" || dtype == "float16" || dtype == "float64")
            v->dtype = DType::Float32;
        else
            fail("input \"" + name + "\" has dtype " + dtype + ", which Core ML inputs cannot take", where);
        v->shape = dims;
        v->shapeKnown = true;
        graph_.top().inputs.push_back(v);
        graph_.inputNames.push_back(userName);
        return {v, dims, false};
    }

    std::vector<KTensor> runSequential(const json& model, const std::vector<KTensor>* inputs, const Scope& scope) {
        const json& config = configOf(model);
        const json& layers =
            config.contains("layers") && config["layers"].is_array() ? config["layers"] : json::array();
        if (layers.empty()) fail("the Sequential model has no layers", scope.pathPrefix);
        const std::vector<std::string> paths = archivePaths(layers, scope);
        std::vector<KTensor> current;
        if (inputs)
            current = *inputs;
        else {
            const json& first = layers[0];
            // Keras names the input it creates for a Sequential model's first layer "<layer>_input".
            current = {graphInput(configOf(first),
                                  classOf(first) == "InputLayer" ? nameOf(first) : nameOf(first) + "_input",
                                  scope.pathPrefix + nameOf(first))};
        }
        for (size_t i = 0; i < layers.size(); ++i) {
            if (classOf(layers[i]) == "InputLayer") continue;
            current = callLayer(layers[i], LayerArgs{current, {}, json::object()}, scope, paths[i]);
            if (current.size() != 1)
                fail("a layer in a Sequential model returns " + std::to_string(current.size()) + " tensors",
                     scope.pathPrefix + nameOf(layers[i]), "use the Functional API for layers with several outputs");
        }
        if (!inputs) outputNames_ = {nameOf(layers.back())};
        return current;
    }

    static TensorRef refOf(const json& r, const std::string& where, const ModelImporter& self) {
        if (!r.is_array() || r.size() < 3 || !r[0].is_string() || !r[1].is_number_integer() ||
            !r[2].is_number_integer())
            self.fail("a layer reference " + r.dump() + " is malformed", where);
        return {r[0].get<std::string>(), r[1].get<size_t>(), r[2].get<size_t>()};
    }

    // Tensor references inside a Keras 3 call's args: {"class_name": "__keras_tensor__", "config": {"keras_history":
    // [...]}}.
    void collectKeras3Refs(const json& v, std::vector<TensorRef>& out, const std::string& where) const {
        if (v.is_object()) {
            if (v.value("class_name", "") == "__keras_tensor__") {
                const json& c = configOf(v);
                if (!c.contains("keras_history")) fail("a tensor reference has no keras_history", where);
                out.push_back(refOf(c["keras_history"], where, *this));
                return;
            }
            for (const auto& item : v.items()) collectKeras3Refs(item.value(), out, where);
        } else if (v.is_array()) {
            for (const json& e : v) collectKeras3Refs(e, out, where);
        }
    }

    static bool isRefList(const json& v) {
        return v.is_array() && v.size() >= 3 && v[0].is_string() && v[1].is_number_integer() &&
               v[2].is_number_integer();
    }

    // Each call of a layer: the tensor references it reads (keyword tensors after the positional ones) and
    // its other keyword arguments.
    std::vector<CallSpec> callsOf(const json& layer, const std::string& where) const {
        std::vector<CallSpec> calls;
        if (!layer.contains("inbound_nodes") || !layer["inbound_nodes"].is_array()) return calls;
        for (const json& node : layer["inbound_nodes"]) {
            CallSpec call;
            std::vector<std::pair<std::string, TensorRef>> keywords;
            if (node.is_object()) {  // Keras 3: {"args": [...], "kwargs": {...}}
                if (node.contains("args")) collectKeras3Refs(node["args"], call.refs, where);
                if (node.contains("kwargs") && node["kwargs"].is_object())
                    for (const auto& kv : node["kwargs"].items()) {
                        std::vector<TensorRef> named;
                        collectKeras3Refs(kv.value(), named, where);
                        if (named.size() == 1)
                            keywords.push_back({kv.key(), named.front()});
                        else if (named.empty())
                            call.kwargs[kv.key()] = kv.value();
                    }
            } else if (node.is_array()) {  // Keras 2 and TensorFlow.js: [[layer, node, index, kwargs], ...]
                for (const json& r : node) {
                    call.refs.push_back(refOf(r, where, *this));
                    if (r.size() < 4 || !r[3].is_object()) continue;
                    for (const auto& kv : r[3].items()) {
                        if (isRefList(kv.value()))
                            keywords.push_back({kv.key(), refOf(kv.value(), where, *this)});
                        else
                            call.kwargs[kv.key()] = kv.value();
                    }
                }
            } else {
                fail("an inbound node is malformed: " + node.dump(), where);
            }
            for (auto& [keyword, ref] : keywords) {
                ref.keyword = keyword;
                call.refs.push_back(ref);
            }
            calls.push_back(std::move(call));
        }
        return calls;
    }

    std::vector<TensorRef> endpoints(const json& config, const char* key, const std::string& where) const {
        std::vector<TensorRef> out;
        if (!config.contains(key)) fail("the Functional model has no " + std::string(key), where);
        const json& v = config[key];
        if (v.is_array() && v.size() >= 3 && v[0].is_string()) return {refOf(v, where, *this)};  // a single endpoint
        if (!v.is_array()) fail("the model's " + std::string(key) + " is malformed", where);
        for (const json& r : v) {
            if (r.is_object())
                collectKeras3Refs(r, out, where);
            else
                out.push_back(refOf(r, where, *this));
        }
        return out;
    }

    std::vector<KTensor> runFunctional(const json& model, const std::vector<KTensor>* inputs, const Scope& scope) {
        const json& config = configOf(model);
        const json& layers =
            config.contains("layers") && config["layers"].is_array() ? config["layers"] : json::array();
        const std::vector<std::string> paths = archivePaths(layers, scope);
        std::map<std::string, size_t> byName;
        for (size_t i = 0; i < layers.size(); ++i) byName[nameOf(layers[i])] = i;
        std::map<std::pair<std::string, size_t>, std::vector<KTensor>> produced;

        const std::vector<TensorRef> ins = endpoints(config, "input_layers", scope.pathPrefix);
        if (inputs && inputs->size() != ins.size())
            fail("the nested model takes " + std::to_string(ins.size()) + " inputs but is called with " +
                     std::to_string(inputs->size()),
                 scope.pathPrefix);
        for (size_t i = 0; i < ins.size(); ++i) {
            const auto it = byName.find(ins[i].layer);
            if (it == byName.end())
                fail("input layer \"" + ins[i].layer + "\" is not among the layers", scope.pathPrefix);
            produced[{ins[i].layer, 0}] = {
                inputs ? (*inputs)[i]
                       : graphInput(configOf(layers[it->second]), ins[i].layer, scope.pathPrefix + ins[i].layer)};
        }

        // Layers are listed in an order Keras can rebuild, but a shared layer's later calls may read
        // layers listed after it: run every call whose inputs exist until none is left.
        struct Pending {
            size_t layer;
            size_t call;
            CallSpec spec;
        };
        std::vector<Pending> pending;
        std::map<std::string, size_t> callCount, highestRef;
        for (size_t i = 0; i < layers.size(); ++i) {
            if (classOf(layers[i]) == "InputLayer") continue;
            const auto calls = callsOf(layers[i], scope.pathPrefix + nameOf(layers[i]));
            callCount[nameOf(layers[i])] = calls.size();
            for (size_t c = 0; c < calls.size(); ++c) {
                pending.push_back({i, c, calls[c]});
                for (const TensorRef& r : calls[c].refs)
                    highestRef[r.layer] = std::max(highestRef[r.layer], r.node + 1);
            }
        }
        for (const TensorRef& r : endpoints(config, "output_layers", scope.pathPrefix))
            highestRef[r.layer] = std::max(highestRef[r.layer], r.node + 1);
        // A nested model built on its own Input starts with a node of its own, which the config leaves out
        // but references count (Keras's functional deserialization skips it the same way).
        const auto nodeOffset = [&](const json& layer) -> size_t {
            const std::string name = nameOf(layer);
            return isModelClass(classOf(layer)) && highestRef[name] > callCount[name] ? 1 : 0;
        };
        while (!pending.empty()) {
            bool progress = false;
            for (auto it = pending.begin(); it != pending.end();) {
                LayerArgs args;
                args.kwargs = it->spec.kwargs;
                bool ready = true;
                for (const TensorRef& r : it->spec.refs) {
                    const auto p = produced.find({r.layer, r.node});
                    if (p == produced.end()) {
                        ready = false;
                        break;
                    }
                    if (r.index >= p->second.size())
                        fail("layer \"" + r.layer + "\" has no output " + std::to_string(r.index),
                             scope.pathPrefix + nameOf(layers[it->layer]));
                    if (r.keyword.empty())
                        args.positional.push_back(p->second[r.index]);
                    else
                        args.named[r.keyword] = p->second[r.index];
                }
                if (!ready) {
                    ++it;
                    continue;
                }
                // layer(inputs=x): Keras 3 records the main input as a keyword.
                if (args.positional.empty() && args.named.count("inputs")) {
                    args.positional.push_back(args.named.at("inputs"));
                    args.named.erase("inputs");
                }
                const json& layer = layers[it->layer];
                produced[{nameOf(layer), it->call + nodeOffset(layer)}] =
                    callLayer(layer, args, scope, paths[it->layer]);
                it = pending.erase(it);
                progress = true;
            }
            if (!progress) {
                std::string missing;
                for (const TensorRef& r : pending.front().spec.refs)
                    if (!produced.count({r.layer, r.node})) missing = r.layer;
                fail("layer \"" + nameOf(layers[pending.front().layer]) + "\" reads \"" + missing +
                         "\", which is not computed by the model (the config is inconsistent)",
                     scope.pathPrefix + nameOf(layers[pending.front().layer]));
            }
        }

        std::vector<KTensor> outputs;
        std::vector<std::string> names;
        for (const TensorRef& r : endpoints(config, "output_layers", scope.pathPrefix)) {
            const auto p = produced.find({r.layer, r.node});
            if (p == produced.end() || r.index >= p->second.size())
                fail("output \"" + r.layer + "\" is not computed by the model", scope.pathPrefix);
            outputs.push_back(p->second[r.index]);
            names.push_back(r.layer);
        }
        if (!inputs) outputNames_ = names;
        return outputs;
    }

    std::vector<KTensor> callLayer(const json& layer, const LayerArgs& call, const Scope& scope,
                                   const std::string& archivePath) {
        const std::string name = nameOf(layer);
        const std::string path = scope.pathPrefix + name;
        if (call.positional.empty()) fail("layer \"" + name + "\" is called without inputs", path);
        std::vector<KTensor> outputs;
        try {
            outputs = emitLayer(layer, call, scope, archivePath, path);
        } catch (const Error& e) {
            if (!e.file().empty()) throw;
            throw Error(e.kind(), e.message(), {file_.path(), path + " (" + classOf(layer) + ")"}, e.hint());
        } catch (const json::exception& e) {
            // A config value of the wrong type that a layer read without checking.
            fail(std::string("the layer's config is malformed: ") + e.what(), path + " (" + classOf(layer) + ")",
                 kDamagedHint);
        }
        // Checked here once for every layer, so the next layer's shape arithmetic starts from sizes that fit.
        for (const KTensor& t : outputs)
            if (const auto problem = keras::shapeProblem(t.shape))
                fail("the layer's output: " + *problem, path + " (" + classOf(layer) + ")", kDamagedHint);
        return outputs;
    }

    std::vector<KTensor> emitLayer(const json& layer, const LayerArgs& call, const Scope& scope,
                                   const std::string& archivePath, const std::string& path) {
        const std::string cls = classOf(layer);
        const std::string name = nameOf(layer);
        const std::vector<KTensor>& args = call.positional;
        if (isModelClass(cls)) {
            Scope inner;
            inner.pathPrefix = path + ".";
            inner.names = scope.names;
            inner.names.push_back(name);
            inner.archivePath = archivePath;
            return runModel(layer, &args, inner);
        }
        ir_.setLayer(path, cls);
        const auto& table = keras::layerTable();
        const auto it = table.find(cls);
        if (cls == "Lambda" || it == table.end()) return opaqueLayer(layer, cls, args);
        KerasLayerLocation location;
        location.names = scope.names;
        location.names.push_back(name);
        location.archivePath = archivePath;
        location.className = cls;
        location.config = &configOf(layer);
        keras::LayerCall layerCall(ir_, file_, std::move(location), path, args, constants_);
        layerCall.setKeywordArguments(call.named, call.kwargs);
        return it->second(layerCall);
    }

    // A layer whose computation is Python code (Lambda) or a class we do not know: a keras::<Class>
    // node over its channels-last inputs, never run; lowering reports it (or a composite replaces it).
    // Its output is taken to have the shape a Lambda declares, else its first input's shape.
    std::vector<KTensor> opaqueLayer(const json& layer, const std::string& cls, const std::vector<KTensor>& args) {
        std::vector<ir::Value*> values;
        for (const KTensor& a : args) values.push_back(ir_.channelsLast(a));
        Shape shape = args.front().shape;
        const json& config = configOf(layer);
        if (config.contains("output_shape") && config["output_shape"].is_array()) {
            Shape declared = {shape.front()};
            bool known = true;
            for (const json& d : config["output_shape"]) {
                if (d.is_number_integer())
                    declared.push_back(d.get<int64_t>());
                else
                    known = false;
            }
            if (known) shape = declared;
        }
        ir::Value* out = ir_.op("keras::" + cls, values);
        return {{out, shape, false}};
    }

    std::string uniqueUserName(const std::string& preferred) {
        if (usedUserNames_.insert(preferred).second) return preferred;
        for (int i = 1;; ++i) {
            const std::string candidate = preferred + "_" + std::to_string(i);
            if (usedUserNames_.insert(candidate).second) return candidate;
        }
    }

    const KerasModelFile& file_;
    ir::Graph& graph_;
    IrEmitter ir_;
    std::map<std::string, ir::Value*> constants_;
    std::vector<std::string> outputNames_;
    std::set<std::string> usedUserNames_;
};

}  // namespace

ir::Graph importKeras(const std::string& path) {
    // The import does not log (spdlog's locks could be held by another thread at fork time) and uses no Qt.
    keras::readInChildFirst(path, [&] { importKerasInProcess(path); });
    return importKerasInProcess(path);
}

ir::Graph importKerasInProcess(const std::string& path) {
    const KerasModelFile file = KerasModelFile::load(path);
    ir::Graph graph;
    graph.sourcePath = path;
    graph.framework = "keras";
    try {
        ModelImporter(file, graph).run();
    } catch (const json::exception& e) {
        // The model's structure (layers, inbound nodes, tensor references) with a value of the wrong type.
        throw Error(ErrorKind::Input, std::string("the model config is malformed: ") + e.what(), {path, {}},
                    kDamagedHint);
    }
    if (graph.top().nodes.empty() && graph.top().outputs.empty())
        throw Error(ErrorKind::Input, "the Keras model has no layers to convert", {path, {}});
    return graph;
}

}  // namespace cms::frontends
