// The interpreter runs every op the MIL op registry declares (so every op the converter can emit),
// plus the compressed-weight ops.
#include "mil/op_registry.h"
#include "runtime/interpreter.h"
#include "support/test_support.h"

#include <algorithm>

using namespace cms;

class TestInterpreterCoverage : public QObject {
    Q_OBJECT
private slots:
    void runsEveryDeclaredOp() {
        const std::vector<std::string> supported = runtime::Interpreter::supportedOps();
        std::string missing;
        for (const std::string& op : mil::OpRegistry::instance().opNames(mil::Target::iOS18))
            if (std::find(supported.begin(), supported.end(), op) == supported.end()) missing += " " + op;
        QVERIFY2(missing.empty(), ("declared ops the interpreter cannot run:" + missing).c_str());
    }
    void runsTheCompressedWeightOps() {
        const std::vector<std::string> supported = runtime::Interpreter::supportedOps();
        for (const char* op : {"constexpr_affine_dequantize", "constexpr_lut_to_dense", "constexpr_sparse_to_dense",
                               "constexpr_blockwise_shift_scale", "constexpr_lut_to_sparse",
                               "constexpr_sparse_blockwise_shift_scale", "constexpr_cast"})
            QVERIFY2(std::find(supported.begin(), supported.end(), op) != supported.end(), op);
    }
};

QTEST_APPLESS_MAIN(TestInterpreterCoverage)
#include "test_interpreter_coverage.moc"
