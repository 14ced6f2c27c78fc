#include "package/package.h"

#include <filesystem>
#include <set>
#include <sys/stat.h>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include "common/cancellation.h"
#include "common/error.h"
#include "package/description_proto.h"
#include "package/durable_file.h"
#include "package/manifest.h"
#include "package/program_proto.h"
#include "package/provenance_sidecar.h"
#include "package/proto/model.pb.h"
#include "package/staged_directory.h"

namespace fs = std::filesystem;

namespace cms::package {

namespace {

// Names and descriptions as coremltools' package writer records them.
constexpr const char* kCoreMLAuthor = "com.apple.CoreML";
constexpr const char* kModelName = "model.mlmodel";
constexpr const char* kModelDescription = "CoreML Model Specification";
constexpr const char* kWeightsName = "weights";
constexpr const char* kWeightsDescription = "CoreML Model Weights";
constexpr const char* kWeightFileName = "weight.bin";
constexpr const char* kProvenanceDescription = "Conversion Studio provenance: MIL op name to source node";

void makeDir(const std::string& path) {
    if (::mkdir(path.c_str(), 0755) != 0) throwFileError("create folder", path, errno);
}

// The description must name exactly the program's inputs and outputs, or Core ML rejects the model.
void checkDescriptionMatches(const mil::Program& program, const ModelDescription& d, const std::string& path) {
    const auto f = program.functions.find("main");
    if (f == program.functions.end())
        throw Error(ErrorKind::Internal, "the program has no main function", {path, {}},
                    "This is a converter bug: please report it with the model.");
    std::set<std::string> progIn, descIn, progOut, descOut;
    for (const auto* v : f->second.inputs) progIn.insert(v->name);
    for (const auto* v : f->second.body.outputs) progOut.insert(v->name);
    for (const auto& x : d.inputs) descIn.insert(x.name);
    for (const auto& x : d.states) descIn.insert(x.name);  // states are function inputs too
    for (const auto& x : d.outputs) descOut.insert(x.name);
    auto list = [](const std::set<std::string>& s) {
        std::string r;
        for (const auto& n : s) r += (r.empty() ? "" : ", ") + n;
        return "[" + r + "]";
    };
    if (progIn != descIn || progOut != descOut || descIn.size() != d.inputs.size() + d.states.size() || descOut.size() != d.outputs.size())
        throw Error(ErrorKind::Internal,
                    "the model description (inputs " + list(descIn) + ", outputs " + list(descOut) +
                        ") does not match the program (inputs " + list(progIn) + ", outputs " + list(progOut) + ")",
                    {path, {}}, "This is a converter bug: please report it with the model.");
}

std::string serializeDeterministic(const google::protobuf::MessageLite& m) {
    std::string out;
    {
        google::protobuf::io::StringOutputStream stream(&out);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        if (!m.SerializeToCodedStream(&coded)) throw Error(ErrorKind::Internal, "cannot serialise the model");
    }
    return out;
}

void collectProvenance(const mil::Block& b, std::map<std::string, ir::Provenance>& out) {
    for (const auto& op : b.ops) {
        if (!op->prov.empty() || op->prov.line > 0 || !op->prov.moduleType.empty()) out[op->name] = op->prov;
        for (const auto& sub : op->blocks) collectProvenance(*sub, out);
    }
}

void applyProvenance(mil::Block& b, const std::map<std::string, ir::Provenance>& byName) {
    for (auto& op : b.ops) {
        const auto it = byName.find(op->name);
        if (it != byName.end()) op->prov = it->second;
        for (auto& sub : op->blocks) applyProvenance(*sub, byName);
    }
}

void writeInto(const std::string& root, const mil::Program& program, const ModelDescription& description,
               const WriteOptions& options) {
    Manifest manifest;
    const std::string data = root + "/Data";
    const std::string coreml = data + "/" + kCoreMLAuthor;
    const std::string weightsDir = coreml + "/" + kWeightsName;
    makeDir(data);
    makeDir(coreml);
    makeDir(weightsDir);

    cms::coreml::Model model;
    model.set_specificationversion(mil::specificationVersion(program.target));
    descriptionToProto(description, *model.mutable_description());
    WeightBlobWriter weights(weightsDir + "/" + kWeightFileName);
    programToProto(program, options.inlineElementLimit, weights, *model.mutable_mlprogram());
    weights.finish();

    const ManifestItem& modelItem = manifest.addItem(kModelName, kCoreMLAuthor, kModelDescription);
    manifest.setRootModel(modelItem.identifier);
    writeFileDurably(coreml + "/" + kModelName, serializeDeterministic(model));
    if (weights.count() > 0) {
        manifest.addItem(kWeightsName, kCoreMLAuthor, kWeightsDescription);
    } else {
        fs::remove(weights.path());
        fs::remove(weightsDir);
    }

    std::map<std::string, ir::Provenance> provenance;
    for (const auto& [name, f] : program.functions) collectProvenance(f.body, provenance);
    if (!provenance.empty()) {
        makeDir(data + "/" + kStudioAuthor);
        writeFileDurably(data + "/" + kStudioAuthor + "/" + kProvenanceItemName, provenanceToJson(provenance));
        manifest.addItem(kProvenanceItemName, kStudioAuthor, kProvenanceDescription);
    }
    writeFileDurably(root + "/Manifest.json", manifest.toJson());
}

}  // namespace

void writePackage(const mil::Program& program, const ModelDescription& description, const std::string& path,
                  const WriteOptions& options) {
    try {
        checkDescriptionMatches(program, description, path);
        StagedDirectory staged(path);
        writeInto(staged.path(), program, description, options);
        checkCancelled();  // the last point before the package appears; the staging folder goes with the throw
        staged.commit();
    } catch (const Error& e) {
        if (e.file().empty()) throw e.withFile(path);
        throw;
    } catch (const fs::filesystem_error& e) {
        throw Error(ErrorKind::Package, "cannot write the package " + path + ": " + e.what(), {path, {}},
                    "Check that the output folder is writable and the disk has free space.");
    } catch (const std::bad_alloc&) {
        throw Error(ErrorKind::Package, "out of memory while writing the package " + path, {path, {}},
                    "Close other programs and try again.");
    }
}

PackageContents readPackage(const std::string& path) {
    const auto damaged = [&](const std::string& what, const std::string& file) {
        return Error(ErrorKind::Package, "cannot read the package " + path + ": " + what, {file, {}},
                     "Check the path; if it is a package, it is damaged: convert the model again.");
    };
    std::error_code ec;
    if (!fs::is_directory(path, ec))
        throw Error(ErrorKind::Package,
                    "cannot read the package " + path + (fs::exists(path, ec) ? ": it is not a folder" : ": it does not exist"),
                    {path, {}}, "An .mlpackage is a folder: check the path.");
    const std::string manifestPath = path + "/Manifest.json";
    if (!fs::is_regular_file(manifestPath, ec)) throw damaged("it has no Manifest.json", manifestPath);
    const Manifest manifest = Manifest::fromJson(readWholeFile(manifestPath), manifestPath);
    for (const ManifestItem& it : manifest.items())
        if (!fs::exists(path + "/Data/" + it.path, ec))
            throw damaged("the manifest lists " + it.path + ", which is missing", manifestPath);
    const ManifestItem* root = manifest.rootModel();
    if (!root) throw damaged("the manifest names no root model", manifestPath);

    PackageContents out;
    out.modelPath = path + "/Data/" + root->path;
    cms::coreml::Model model;
    {
        const std::string bytes = readWholeFile(out.modelPath);
        if (!model.ParseFromString(bytes)) throw damaged("the model file is not a Core ML model", out.modelPath);
    }
    if (!model.has_mlprogram())
        throw Error(ErrorKind::Package, "cannot read the package " + path + ": the model is not an ML Program",
                    {out.modelPath, {}}, "Only ML Program models (iOS15 and newer) can be read; neural network "
                                         "models are not supported.");
    out.specificationVersion = model.specificationversion();
    out.description = descriptionFromProto(model.description(), out.modelPath);

    // Weight files live under the model's folder; "@model_path" stands for it.
    const std::string modelDir = fs::path(out.modelPath).parent_path().string();
    std::map<std::string, std::unique_ptr<WeightBlobReader>> readers;
    const WeightFileResolver resolve = [&](const std::string& fileName) -> const WeightBlobReader& {
        auto& r = readers[fileName];
        if (!r) {
            const std::string prefix = "@model_path/";
            if (fileName.rfind(prefix, 0) != 0 || fileName.find("..") != std::string::npos)
                throw damaged("weight file reference \"" + fileName + "\" is not inside the package", out.modelPath);
            r = std::make_unique<WeightBlobReader>(modelDir + "/" + fileName.substr(prefix.size()));
        }
        return *r;
    };
    out.program = programFromProto(model.mlprogram(), resolve, out.modelPath);
    if (const auto t = mil::targetFromSpecVersion(out.specificationVersion); t && *t > out.program.target)
        out.program.target = *t;
    const std::string weightFile = modelDir + "/" + kWeightsName + "/" + kWeightFileName;
    if (fs::exists(weightFile, ec)) out.weightsPath = weightFile;

    if (const ManifestItem* prov = manifest.findItem(kProvenanceItemName, kStudioAuthor)) {
        const std::string file = path + "/Data/" + prov->path;
        out.provenance = provenanceFromJson(readWholeFile(file), file);
        for (auto& [name, f] : out.program.functions) applyProvenance(f.body, out.provenance);
    }
    return out;
}

}  // namespace cms::package
