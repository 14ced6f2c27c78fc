#!/usr/bin/env bash
# Sets up Core ML Conversion Studio on Debian 12 and builds it into build/ (binaries in build/bin).
#
#   bash packaging/setup.sh          install what is missing, build, open the studio on the demo model
#   bash packaging/setup.sh test     install what is missing, build, run every test
#   bash packaging/setup.sh build    install what is missing, build
#
# Idempotent: Debian packages already installed are left alone (apt-get runs only when something is
# missing), and an existing build folder is reused incrementally. Run it as root (or with sudo
# available) when packages need installing. CMS_BUILD_DIR overrides the build folder.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${CMS_BUILD_DIR:-$ROOT/build}"
MODE="${1:-run}"
JOBS="$(nproc)"

PACKAGES=(
    qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-tools-dev qt6-tools-dev-tools libgl-dev
    libtorch-dev libprotobuf-dev protobuf-compiler libspdlog-dev libfmt-dev libcli11-dev nlohmann-json3-dev
    libyaml-cpp-dev libgraphviz-dev cmake ninja-build g++ pkg-config
    python3-torch python3-torchvision python3-numpy time xvfb xauth
    libhdf5-dev libzip-dev python3-h5py nodejs npm
    poppler-utils  # pdftotext: the GUI test reads the exported PDF report
    qt6-svg-dev qt6-translations-l10n appstream desktop-file-utils shared-mime-info dpkg-dev
)

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup.sh: %s\n' "$*" >&2; exit 1; }

case "$MODE" in
    run|test|build) ;;
    *) die "unknown mode '$MODE' (expected: run, test or build)" ;;
esac

install_missing_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        # NodeSource's nodejs bundles npm and conflicts with Debian's npm package: any working npm will do.
        if [ "$p" = npm ] && command -v npm >/dev/null; then continue; fi
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        say "All ${#PACKAGES[@]} required Debian packages are installed"
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || die "these packages are missing and installing them needs root: ${missing[*]}"
        sudo=(sudo)
    fi
    say "Installing ${#missing[@]} missing Debian packages: ${missing[*]}"
    "${sudo[@]}" apt-get update
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
}

# TensorFlow.js (pure JavaScript) builds the Keras test fixtures: installed from the lock file into the
# build folder, where the generate_keras_models test finds it; reinstalled only when the lock file changes.
install_keras_fixture_tools() {
    local dir="$BUILD/keras-fixtures" lock="$ROOT/tests/models/keras/package-lock.json"
    if [ -d "$dir/node_modules/@tensorflow/tfjs" ] && cmp -s "$lock" "$dir/package-lock.json"; then
        say "TensorFlow.js for the Keras fixtures is installed"
        return
    fi
    say "Installing TensorFlow.js for the Keras fixtures into $dir"
    mkdir -p "$dir"
    cp "$ROOT/tests/models/keras/package.json" "$lock" "$dir/"
    (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts)
}

build() {
    if [ -f "$BUILD/CMakeCache.txt" ]; then
        cmake -S "$ROOT" -B "$BUILD" >/dev/null
    else
        say "Configuring into $BUILD"
        cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release
    fi
    say "Building with $JOBS jobs"
    cmake --build "$BUILD" -j "$JOBS"
}

run_studio() {
    local studio="$BUILD/bin/coreml-studio"
    if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
        say "Opening the studio on the demo model"
        exec "$studio" "$BUILD/resources/demo/demo_cnn.pt"
    fi
    # No display: a GUI cannot be shown here. Say how to open it, then check that it starts
    # (offscreen) and that the demo model converts, so the set-up is known to work.
    cat <<MSG
==> No display (DISPLAY is not set), so the studio window cannot be shown here.
    On a desktop session run:        $studio
    Over SSH with X forwarding:      ssh -X this-machine $studio
    Without any display (virtual):   xvfb-run -a $studio
==> Smoke check: starting the studio offscreen for 10 s and converting the demo model with the CLI
MSG
    local status=0
    QT_QPA_PLATFORM=offscreen timeout 10 "$studio" >/dev/null 2>&1 || status=$?
    # 124: still running when the timeout ended it, i.e. it started and stayed up.
    [ "$status" -eq 124 ] || die "the studio exited early with status $status"
    say "The studio starts"
    "$BUILD/bin/coreml-cli" convert --config "$BUILD/resources/demo/demo_cnn.settings.json"
    "$BUILD/bin/coreml-cli" inspect "$BUILD/resources/demo/demo_cnn.mlpackage"
}

install_missing_packages
build
install_keras_fixture_tools
case "$MODE" in
    run) run_studio ;;
    test)
        say "Running the tests"
        ctest --test-dir "$BUILD" --output-on-failure -j "$JOBS"
        ;;
    build) say "Built: $BUILD/bin/coreml-cli and $BUILD/bin/coreml-studio" ;;
esac
