#pragma once
// The Keras fixtures built with TensorFlow.js by tests/models/keras/generate_keras_models.py (the
// generate_keras_models ctest fixture): NAME.h5, NAME.keras, NAME.json, NAME.input<i>.npy, NAME.output<i>.npy.
#include <QFile>
#include <QtTest>

#include <string>

namespace cms::test {

// Path of a Keras fixture file; fails the test when it is missing (the generator must have run).
inline std::string kerasFixture(const std::string& fileName) {
    const std::string path = std::string(CMS_TEST_MODELS_DIR) + "/keras/" + fileName;
    if (!QFile::exists(QString::fromStdString(path)))
        qFatal(
            "Keras fixture %s is missing: run the generate_keras_models test first (it needs TensorFlow.js, "
            "installed by packaging/setup.sh)",
            path.c_str());
    return path;
}

}  // namespace cms::test
