#!/usr/bin/python3
"""Generates the Keras test fixtures: models built and run with TensorFlow.js, saved as Keras files.

build_fixtures.js (node, @tensorflow/tfjs installed by packaging/setup.sh) writes each model's Keras
topology, weights, inputs and reference outputs as NAME.tfjs.json; numpy_fixtures.py makes the same records
for layers TensorFlow.js lacks, with NumPy references. This script writes from each:
  NAME.h5      the Keras 2 / tf.keras HDF5 layout: root attributes model_config, keras_version and
               backend; model_weights/<layer>/ groups with a weight_names attribute and the weights at
               model_weights/<layer>/<weight name>, e.g. model_weights/conv1/conv1/kernel:0
  NAME.keras   the Keras 3 archive: a zip with config.json, metadata.json and model.weights.h5, whose
               weights are layers/<snake_case class>[_N]/vars/<index> (recurrent layers: .../cell/vars)
  NAME.input<i>.npy, NAME.output<i>.npy   TensorFlow.js's inputs and outputs
  NAME.json    input/output names and shapes
plus malformed files for the error tests. Usage: generate_keras_models.py OUTDIR NODE_MODULES_DIR
"""
import base64
import copy
import io
import json
import marshal
import os
import re
import subprocess
import sys
import zipfile

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL_CLASSES = ("Sequential", "Model", "Functional")
RECURRENT = {"LSTM": "lstm_cell", "GRU": "gru_cell", "SimpleRNN": "simple_rnn_cell"}


def snake_case(name):
    # Keras 3's naming for objects in its weights file (keras.src.utils.naming.to_snake_case).
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def layer_name(layer):
    return layer.get("name") or layer["config"]["name"]


def leaf_layers(layer):
    """Layers holding weights inside `layer` (itself when it is not a model)."""
    if layer["class_name"] in MODEL_CLASSES:
        out = []
        for inner in layer["config"]["layers"]:
            out.extend(leaf_layers(inner))
        return out
    return [layer]


def weights_by_layer(topology, weights):
    """tfjs weight names start with the leaf layer's name: group them per leaf layer, in tfjs order."""
    groups = {}
    for w in weights:
        groups.setdefault(w["name"].split("/")[0], []).append(w)
    return groups


def keras2_weight_name(layer, tfjs_name):
    """tfjs 'lstm/kernel' -> tf.keras 'lstm/lstm_cell/kernel:0' (and the same inside Bidirectional)."""
    parts = tfjs_name.split("/")
    cls = layer["class_name"]
    if cls in RECURRENT:
        parts.insert(len(parts) - 1, RECURRENT[cls])
    elif cls == "Bidirectional":
        parts.insert(len(parts) - 1, RECURRENT[layer["config"]["layer"]["class_name"]])
    return "/".join(parts) + ":0"


def lambda_code():
    # Keras 2 stores a Lambda's function as base64 of its marshalled code object: Python that only a
    # Python interpreter could run, which the converter must never do.
    return base64.b64encode(marshal.dumps((lambda x: x * 2.0).__code__)).decode("ascii")


def as_lambda(layer, keras3):
    name = layer_name(layer)
    config = {"name": name, "trainable": True, "dtype": "float32", "function_type": "lambda",
              "module": "__main__", "output_shape": None, "output_shape_type": "raw", "arguments": {}}
    if keras3:
        config["function"] = {"class_name": "__lambda__", "config": {"code": lambda_code(), "defaults": None,
                                                                     "closure": None}}
    else:
        config["function"] = [lambda_code(), None, None]
    out = {"class_name": "Lambda", "config": config}
    if "inbound_nodes" in layer:
        out["inbound_nodes"] = layer["inbound_nodes"]
    if "name" in layer:
        out["name"] = layer["name"]
    return out


def with_lambdas(layer, names, keras3=False):
    layer = copy.deepcopy(layer)
    if layer["class_name"] in MODEL_CLASSES:
        layer["config"]["layers"] = [with_lambdas(l, names, keras3) for l in layer["config"]["layers"]]
        return layer
    return as_lambda(layer, keras3) if layer_name(layer) in names else layer


# ---- Keras 2 HDF5 -------------------------------------------------------------------------------------

def write_h5(path, record):
    topology = record["modelTopology"]
    model = with_lambdas({"class_name": topology["class_name"], "config": topology["config"]}, record["lambdaLayers"])
    groups = weights_by_layer(topology, record["weights"])
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = topology.get("keras_version", "")
        f.attrs["backend"] = "tensorflow"
        f.attrs["model_config"] = json.dumps(model)
        mw = f.create_group("model_weights")
        top_layers = model["config"]["layers"]
        mw.attrs["layer_names"] = np.array([layer_name(l).encode("utf8") for l in top_layers])
        mw.attrs["backend"] = "tensorflow"
        mw.attrs["keras_version"] = topology.get("keras_version", "")
        for layer in top_layers:
            g = mw.create_group(layer_name(layer))
            names = []
            for leaf in leaf_layers(layer):
                for w in groups.get(layer_name(leaf), []):
                    name = keras2_weight_name(leaf, w["name"])
                    g.create_dataset(name, data=np.array(w["values"], dtype=np.float32).reshape(w["shape"]))
                    names.append(name.encode("utf8"))
            g.attrs["weight_names"] = np.array(names, dtype="S") if names else np.array([], dtype="S1")


# ---- Keras 3 archive ----------------------------------------------------------------------------------

def keras3_tensor(ref):
    return {"class_name": "__keras_tensor__", "config": {"shape": None, "dtype": "float32",
                                                          "keras_history": [ref[0], ref[1], ref[2]]}}


def keras3_layer(layer):
    cls = layer["class_name"]
    if cls in MODEL_CLASSES:
        out = keras3_model(layer)
    else:
        config = copy.deepcopy(layer["config"])
        if cls == "InputLayer" and "batch_input_shape" in config:
            config["batch_shape"] = config.pop("batch_input_shape")
        out = {"module": "keras.layers", "class_name": cls, "config": config, "registered_name": None}
    if "name" in layer:
        out["name"] = layer["name"]
    if "inbound_nodes" in layer:
        nodes = []
        for node in layer["inbound_nodes"]:
            tensors = [keras3_tensor(r) for r in node]
            kwargs = {}
            for r in node:  # Keras 2 keeps keyword tensors as [layer, node, index] in the call's kwargs
                for key, value in (r[3] if len(r) > 3 else {}).items():
                    is_ref = isinstance(value, list) and len(value) >= 3 and isinstance(value[0], str)
                    kwargs[key] = keras3_tensor(value) if is_ref else value
            nodes.append({"args": [tensors] if len(tensors) > 1 else tensors, "kwargs": kwargs})
        out["inbound_nodes"] = nodes
    return out


def keras3_model(model):
    cls = model["class_name"]
    config = copy.deepcopy(model["config"])
    layers = config["layers"]
    if cls == "Sequential":
        first = layers[0]
        if first["class_name"] != "InputLayer":
            shape = first["config"].pop("batch_input_shape")
            layers = [{"class_name": "InputLayer", "config": {"batch_shape": shape, "dtype": "float32", "sparse": False,
                                                               "name": layer_name(first) + "_input"}}] + layers
        config["layers"] = [keras3_layer(l) for l in layers]
        return {"module": "keras", "class_name": "Sequential", "config": config, "registered_name": None}
    config["layers"] = [keras3_layer(l) for l in layers]
    return {"module": "keras.src.models.functional", "class_name": "Functional", "config": config,
            "registered_name": "Functional"}


def store_weights(h5, prefix, layers, groups):
    """Each model's layers at <prefix>layers/<snake_case class>[_N], numbered per class name."""
    used = {}
    for layer in layers:
        if layer["class_name"] == "InputLayer":
            continue
        key = snake_case(layer["class_name"] if layer["class_name"] not in ("Model",) else "Functional")
        name = key if key not in used else f"{key}_{used[key] + 1}"
        used[key] = used.get(key, -1) + 1
        path = f"{prefix}layers/{name}"
        if layer["class_name"] in MODEL_CLASSES:
            h5.create_group(path + "/vars")
            store_weights(h5, path + "/", layer["config"]["layers"], groups)
            continue
        own = groups.get(layer_name(layer), [])
        cls = layer["class_name"]
        if cls in RECURRENT:
            h5.create_group(path + "/vars")
            write_vars(h5, path + "/cell/vars", own)
        elif cls == "TimeDistributed":
            h5.create_group(path + "/vars")
            write_vars(h5, path + "/layer/vars", own)
        elif cls == "MultiHeadAttention":
            h5.create_group(path + "/vars")
            for sub, attribute in (("query", "_query_dense"), ("key", "_key_dense"), ("value", "_value_dense"),
                                   ("attention_output", "_output_dense")):
                write_vars(h5, f"{path}/{attribute}/vars", [w for w in own if w["name"].split("/")[1] == sub])
        elif cls == "Bidirectional":
            h5.create_group(path + "/vars")
            for direction in ("forward", "backward"):
                write_vars(h5, f"{path}/{direction}_layer/cell/vars",
                           [w for w in own if w["name"].split("/")[1].startswith(direction)])
        else:
            write_vars(h5, path + "/vars", own)


def write_vars(h5, path, weights):
    g = h5.create_group(path)
    for i, w in enumerate(weights):
        g.create_dataset(str(i), data=np.array(w["values"], dtype=np.float32).reshape(w["shape"]))


def write_keras(path, record):
    topology = record["modelTopology"]
    model = with_lambdas({"class_name": topology["class_name"], "config": topology["config"]}, record["lambdaLayers"],
                         keras3=True)
    config = keras3_model(model)
    groups = weights_by_layer(topology, record["weights"])
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5:
        store_weights(h5, "", model["config"]["layers"], groups)
    metadata = {"keras_version": "3.0.0", "date_saved": "fixture",
                "converted_from": topology.get("keras_version", "")}
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps(metadata))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", buffer.getvalue())


# ---- malformed files -----------------------------------------------------------------------------------

def write_custom_layer(path, lambda_h5):
    """keras_lambda with its Lambda replaced by a layer of a class only the model's Python code defines."""
    with h5py.File(lambda_h5, "r") as src, h5py.File(path, "w") as f:
        config = json.loads(src.attrs["model_config"])
        for layer in config["config"]["layers"]:
            if layer["class_name"] == "Lambda":
                layer["class_name"] = "ScaleByTwo"
                layer["config"] = {"name": layer["config"]["name"], "trainable": True, "dtype": "float32",
                                   "factor": 2.0}
        f.attrs["model_config"] = json.dumps(config)
        for key in ("keras_version", "backend"):
            f.attrs[key] = src.attrs[key]
        src.copy("model_weights", f)


def write_malformed(outdir, good_h5, good_keras):
    with open(os.path.join(outdir, "keras_bad_truncated.h5"), "wb") as f:
        f.write(open(good_h5, "rb").read()[:3000])
    with open(os.path.join(outdir, "keras_bad_not_hdf5.h5"), "w") as f:
        f.write("this is not an HDF5 file\n")
    with h5py.File(os.path.join(outdir, "keras_bad_weights_only.h5"), "w") as f:
        f.attrs["layer_names"] = np.array([b"dense"])
        f.create_group("dense").attrs["weight_names"] = np.array([b"dense/kernel:0"])
    with h5py.File(os.path.join(outdir, "keras_bad_config_json.h5"), "w") as f:
        f.attrs["model_config"] = '{"class_name": "Sequential", "config": {"layers": ['
    with h5py.File(os.path.join(outdir, "keras_bad_missing_weights.h5"), "w") as f:
        src = h5py.File(good_h5, "r")
        f.attrs["model_config"] = src.attrs["model_config"]
        f.attrs["keras_version"] = src.attrs["keras_version"]
        f.create_group("model_weights")
    with open(os.path.join(outdir, "keras_bad_truncated.keras"), "wb") as f:
        f.write(open(good_keras, "rb").read()[:200])
    with zipfile.ZipFile(os.path.join(outdir, "keras_bad_no_config.keras"), "w") as z:
        z.writestr("metadata.json", "{}")
    no_weights = os.path.join(outdir, "keras_bad_no_weights.keras")
    with zipfile.ZipFile(no_weights, "w") as z, zipfile.ZipFile(good_keras) as g:
        z.writestr("config.json", g.read("config.json"))
        z.writestr("metadata.json", g.read("metadata.json"))
    bad = os.path.join(outdir, "keras_bad_subclassed.keras")
    with zipfile.ZipFile(bad, "w") as z, zipfile.ZipFile(good_keras) as g:
        z.writestr("config.json", json.dumps({"module": "__main__", "class_name": "MyModel", "config": {},
                                              "registered_name": "MyModel"}))
        z.writestr("model.weights.h5", g.read("model.weights.h5"))


def up_to_date(outputs, sources):
    if not all(os.path.exists(o) for o in outputs):
        return False
    newest_source = max(os.path.getmtime(s) for s in sources)
    return all(os.path.getmtime(o) > newest_source for o in outputs)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: generate_keras_models.py OUTDIR NODE_MODULES_DIR")
    outdir, node_modules = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if not os.path.isdir(os.path.join(node_modules, "@tensorflow", "tfjs")):
        sys.exit(f"TensorFlow.js is not installed in {node_modules}: run `bash packaging/setup.sh build` "
                 f"(it runs npm ci for tests/models/keras/package.json into that folder)")
    os.makedirs(outdir, exist_ok=True)
    sources = [os.path.join(HERE, name) for name in ("build_fixtures.js", "numpy_fixtures.py")]
    sources.append(os.path.abspath(__file__))
    stamp = os.path.join(outdir, "keras_fixtures.done")
    if up_to_date([stamp], sources):
        print("keras fixtures: up to date")
        return
    tfjs_dir = os.path.join(outdir, "tfjs")
    env = dict(os.environ, NODE_PATH=node_modules)
    subprocess.run(["node", os.path.join(HERE, "build_fixtures.js"), tfjs_dir], check=True, env=env)
    sys.path.insert(0, HERE)
    import numpy_fixtures
    records = {file[: -len(".tfjs.json")]: os.path.join(tfjs_dir, file)
               for file in sorted(os.listdir(tfjs_dir)) if file.endswith(".tfjs.json")}
    records.update({name: make for name, make in numpy_fixtures.MODELS.items()})
    for name, source in records.items():
        record = json.load(open(source)) if isinstance(source, str) else source()
        write_h5(os.path.join(outdir, name + ".h5"), record)
        write_keras(os.path.join(outdir, name + ".keras"), record)
        info = {"inputs": [], "outputs": [], "lambdaLayers": record["lambdaLayers"], "tfjs": record["tfjsVersion"]}
        for kind in ("inputs", "outputs"):
            for i, t in enumerate(record[kind]):
                np.save(os.path.join(outdir, f"{name}.{kind[:-1]}{i}.npy"),
                        np.array(t["values"], dtype=np.float32).reshape(t["shape"]))
                info[kind].append({"name": t["name"], "shape": t["shape"]})
        json.dump(info, open(os.path.join(outdir, name + ".json"), "w"), indent=1)
        print(f"{name}: .h5, .keras, {len(record['inputs'])} inputs, {len(record['outputs'])} outputs")
    write_custom_layer(os.path.join(outdir, "keras_custom_layer.h5"), os.path.join(outdir, "keras_lambda.h5"))
    write_malformed(outdir, os.path.join(outdir, "keras_seq_cnn.h5"), os.path.join(outdir, "keras_seq_cnn.keras"))
    open(stamp, "w").write("ok\n")


if __name__ == "__main__":
    main()
