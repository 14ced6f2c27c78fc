// Builds the Keras fixture models with TensorFlow.js (pure JavaScript, CPU backend) and computes their
// reference outputs. For each model NAME it writes NAME.tfjs.json: the Keras topology tfjs saves, the
// weights (name, shape, values) and, per input and output, its name, shape and values.
// make_keras_files.py turns these into .h5 / .keras files and .npy inputs and references.
// Usage: node build_fixtures.js OUTDIR [NAME_FILTER]   (NODE_PATH points at the tfjs node_modules)
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// A small deterministic generator (LCG) so inputs and statistics are the same on every run.
let seed = 12345;
function uniform(lo, hi) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return lo + (hi - lo) * (seed / 2147483648);
}
function values(n, lo, hi) { return Float32Array.from({length: n}, () => uniform(lo, hi)); }

// Trained-looking weights: initialisers leave biases and batch-norm statistics at 0/1, which would hide
// mistakes in how they are applied.
function randomizeWeights(model) {
    for (const layer of model.layers) {
        if (layer.layers) { randomizeWeights(layer); continue; }
        const weights = layer.getWeights();
        if (!weights.length) continue;
        const replaced = layer.weights.map((w, i) => {
            const name = w.originalName || w.name;
            const n = weights[i].size;
            let v = null;
            if (/moving_variance|variance$/.test(name)) v = values(n, 0.5, 1.5);
            else if (/gamma$/.test(name)) v = values(n, 0.6, 1.4);
            else if (/(bias|beta|moving_mean)$/.test(name)) v = values(n, -0.2, 0.2);
            else if (/alpha$/.test(name)) v = values(n, 0.05, 0.4);
            return v ? tf.tensor(v, weights[i].shape) : weights[i];
        });
        layer.setWeights(replaced);
    }
}

const models = {};

models.keras_seq_cnn = () => {
    const m = tf.sequential({name: 'seq_cnn'});
    m.add(tf.layers.rescaling({inputShape: [17, 17, 3], scale: 1 / 127.5, offset: -1, name: 'rescale'}));
    m.add(tf.layers.conv2d({filters: 8, kernelSize: 3, padding: 'same', activation: 'relu', name: 'conv1'}));
    m.add(tf.layers.batchNormalization({name: 'bn1'}));
    m.add(tf.layers.maxPooling2d({poolSize: 2, padding: 'same', name: 'pool1'}));
    m.add(tf.layers.conv2d({filters: 12, kernelSize: 3, strides: 2, padding: 'same', name: 'conv2'}));
    m.add(tf.layers.activation({activation: 'relu', name: 'act2'}));
    m.add(tf.layers.zeroPadding2d({padding: [[1, 0], [0, 2]], name: 'pad'}));
    m.add(tf.layers.averagePooling2d({poolSize: 3, strides: 2, padding: 'same', name: 'pool2'}));
    m.add(tf.layers.dropout({rate: 0.5, name: 'drop'}));
    m.add(tf.layers.flatten({name: 'flat'}));
    m.add(tf.layers.dense({units: 10, activation: 'softmax', name: 'probs'}));
    return {model: m, inputs: [[1, 17, 17, 3, 0, 255]]};
};

// Branches, a layer shared by two branches, a nested Sequential model called twice, merges.
models.keras_functional = () => {
    const image = tf.input({shape: [12, 12, 4], name: 'image'});
    const side = tf.input({shape: [6], name: 'side'});
    const stem = tf.layers.conv2d({filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', name: 'stem'}).apply(image);
    const shared = tf.layers.conv2d({filters: 6, kernelSize: 1, name: 'shared_conv'});
    const a = shared.apply(stem);
    const b = shared.apply(tf.layers.maxPooling2d({poolSize: 3, strides: 1, padding: 'same', name: 'branch_pool'}).apply(stem));
    const block = tf.sequential({name: 'block'});
    block.add(tf.layers.conv2d({inputShape: [12, 12, 6], filters: 6, kernelSize: 3, padding: 'same', name: 'block_conv'}));
    block.add(tf.layers.batchNormalization({name: 'block_bn'}));
    block.add(tf.layers.activation({activation: 'tanh', name: 'block_act'}));
    const ba = block.apply(a);
    const bb = block.apply(b);
    const sum = tf.layers.add({name: 'sum'}).apply([ba, bb, stem]);
    const prod = tf.layers.multiply({name: 'prod'}).apply([ba, bb]);
    const maxed = tf.layers.maximum({name: 'maxed'}).apply([sum, prod]);
    const cat = tf.layers.concatenate({axis: -1, name: 'cat'}).apply([maxed, a]);
    const pooled = tf.layers.globalAveragePooling2d({name: 'gap'}).apply(cat);
    const sideDense = tf.layers.dense({units: 12, activation: 'relu', name: 'side_dense'}).apply(side);
    const joined = tf.layers.concatenate({name: 'joined'}).apply([pooled, sideDense]);
    const logits = tf.layers.dense({units: 4, name: 'logits'}).apply(joined);
    const spatial = tf.layers.conv2d({filters: 2, kernelSize: 1, activation: 'sigmoid', name: 'mask'}).apply(cat);
    const m = tf.model({inputs: [image, side], outputs: [logits, spatial], name: 'functional'});
    return {model: m, inputs: [[1, 12, 12, 4, -1, 1], [1, 6, -1, 1]]};
};

models.keras_mobilenet_like = () => {
    const input = tf.input({shape: [32, 32, 3], name: 'pixels'});
    const convBn = (x, filters, kernel, strides, name) => {
        x = tf.layers.conv2d({filters, kernelSize: kernel, strides, padding: 'same', useBias: false, name}).apply(x);
        x = tf.layers.batchNormalization({name: name + '_bn'}).apply(x);
        return tf.layers.reLU({maxValue: 6, name: name + '_relu'}).apply(x);
    };
    const separable = (x, filters, strides, name) => {
        x = tf.layers.depthwiseConv2d({kernelSize: 3, strides, padding: 'same', useBias: false, name: name + '_dw'}).apply(x);
        x = tf.layers.batchNormalization({name: name + '_dw_bn'}).apply(x);
        x = tf.layers.reLU({maxValue: 6, name: name + '_dw_relu'}).apply(x);
        return convBn(x, filters, 1, 1, name + '_pw');
    };
    let x = convBn(input, 16, 3, 2, 'conv1');
    x = separable(x, 24, 1, 'block1');
    x = separable(x, 32, 2, 'block2');
    const y = separable(x, 32, 1, 'block3');
    x = tf.layers.add({name: 'block3_add'}).apply([x, y]);
    x = tf.layers.depthwiseConv2d({kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'expand_dw'}).apply(x);
    x = convBn(x, 48, 1, 1, 'head');
    x = tf.layers.globalAveragePooling2d({name: 'gap'}).apply(x);
    x = tf.layers.dropout({rate: 0.2, name: 'dropout'}).apply(x);
    const probs = tf.layers.dense({units: 10, activation: 'softmax', name: 'predictions'}).apply(x);
    return {model: tf.model({inputs: input, outputs: probs, name: 'mobilenet_like'}), inputs: [[1, 32, 32, 3, -1, 1]]};
};

// Token ids (as floats, tfjs's default input dtype) -> embedding -> LSTM -> bidirectional LSTM -> classes.
models.keras_lstm_text = () => {
    const tokens = tf.input({shape: [20], name: 'tokens'});
    let x = tf.layers.embedding({inputDim: 100, outputDim: 16, name: 'embed'}).apply(tokens);
    x = tf.layers.lstm({units: 24, returnSequences: true, recurrentActivation: 'sigmoid', name: 'lstm'}).apply(x);
    x = tf.layers.bidirectional({layer: tf.layers.lstm({units: 12, recurrentActivation: 'sigmoid', name: 'bilstm'}),
                                 mergeMode: 'concat', name: 'bidir'}).apply(x);
    const probs = tf.layers.dense({units: 5, activation: 'softmax', name: 'classes'}).apply(x);
    return {model: tf.model({inputs: tokens, outputs: probs, name: 'lstm_text'}), inputs: [[1, 20, 0, 100, 'int']]};
};

// The other recurrent forms: SimpleRNN backwards with sequences, bidirectional sums, returned states.
models.keras_rnn_forms = () => {
    const seq = tf.input({shape: [9, 5], name: 'sequence'});
    const rnn = tf.layers.simpleRNN({units: 7, returnSequences: true, goBackwards: true, name: 'rnn_back'}).apply(seq);
    const bi = tf.layers.bidirectional({layer: tf.layers.simpleRNN({units: 6, returnSequences: true, activation: 'relu',
                                                                    name: 'rnn_relu'}),
                                        mergeMode: 'ave', name: 'bi_ave'}).apply(rnn);
    const [out, h, c] = tf.layers.lstm({units: 8, returnState: true, recurrentActivation: 'sigmoid', name: 'lstm_state'}).apply(bi);
    const last = tf.layers.lstm({units: 4, goBackwards: true, recurrentActivation: 'sigmoid', name: 'lstm_back'}).apply(rnn);
    const merged = tf.layers.concatenate({name: 'states'}).apply([out, c, last]);
    return {model: tf.model({inputs: seq, outputs: [merged, h], name: 'rnn_forms'}), inputs: [[1, 9, 5, -1, 1]]};
};

// One of most other layers the importer converts.
models.keras_layer_mix = () => {
    const img = tf.input({shape: [10, 10, 3], name: 'img'});
    let x = tf.layers.separableConv2d({filters: 8, kernelSize: 3, depthMultiplier: 2, padding: 'same', name: 'sep'}).apply(img);
    x = tf.layers.leakyReLU({alpha: 0.2, name: 'leaky'}).apply(x);
    x = tf.layers.conv2dTranspose({filters: 5, kernelSize: 3, strides: 2, padding: 'same', name: 'deconv'}).apply(x);
    x = tf.layers.prelu({name: 'prelu'}).apply(x);
    x = tf.layers.cropping2D({cropping: [[1, 2], [3, 0]], name: 'crop'}).apply(x);
    x = tf.layers.upSampling2d({size: [2, 1], name: 'up'}).apply(x);
    x = tf.layers.conv2d({filters: 4, kernelSize: [3, 2], strides: [2, 3], dilationRate: 1, padding: 'valid', name: 'conv_rect'}).apply(x);
    x = tf.layers.elu({name: 'elu'}).apply(x);
    const deconvValid = tf.layers.conv2dTranspose({filters: 3, kernelSize: 2, strides: 1, padding: 'valid', name: 'deconv_valid'}).apply(x);
    const dil = tf.layers.conv2d({filters: 3, kernelSize: 3, dilationRate: 2, padding: 'same', name: 'dilated'}).apply(deconvValid);
    const perm = tf.layers.permute({dims: [2, 1, 3], name: 'perm'}).apply(dil);
    const shapeOf = perm.shape.slice(1);
    const flat = tf.layers.reshape({targetShape: [shapeOf[0] * shapeOf[1], shapeOf[2]], name: 'to_seq'}).apply(perm);
    let s = tf.layers.layerNormalization({name: 'ln'}).apply(flat);
    s = tf.layers.conv1d({filters: 6, kernelSize: 4, strides: 1, padding: 'same', name: 'conv1d'}).apply(s);
    s = tf.layers.softmax({axis: -1, name: 'feature_softmax'}).apply(s);
    const diff = tf.layers.add({name: 'diff'}).apply([s, tf.layers.dense({units: 6, name: 'proj'}).apply(flat)]);
    const avg = tf.layers.average({name: 'avg'}).apply([diff, s]);
    const mn = tf.layers.minimum({name: 'mn'}).apply([avg, diff]);
    const pooled = tf.layers.globalMaxPooling1d({name: 'gmp'}).apply(mn);
    const rep = tf.layers.repeatVector({n: 3, name: 'rep'}).apply(pooled);
    const vol = tf.input({shape: [6, 6, 6, 2], name: 'volume'});
    let v = tf.layers.conv3d({filters: 3, kernelSize: 2, padding: 'same', name: 'conv3d'}).apply(vol);
    v = tf.layers.maxPooling3d({poolSize: 2, name: 'pool3d'}).apply(v);
    v = tf.layers.flatten({name: 'flat3d'}).apply(v);
    const vec = tf.layers.dense({units: 6, activation: 'tanh', name: 'vol_dense'}).apply(v);
    const dot = tf.layers.dot({axes: 1, name: 'dot'}).apply([pooled, vec]);
    const m = tf.model({inputs: [img, vol], outputs: [rep, dot], name: 'layer_mix'});
    return {model: m, inputs: [[1, 10, 10, 3, -1, 1], [1, 6, 6, 6, 2, -1, 1]]};
};

// Per-frame layers over a short clip: TimeDistributed around a convolution, a flatten and a dense layer.
models.keras_time_distributed = () => {
    const frames = tf.input({shape: [4, 6, 6, 2], name: 'frames'});
    let x = tf.layers.timeDistributed({layer: tf.layers.conv2d({filters: 3, kernelSize: 3, activation: 'relu',
                                                                 name: 'frame_conv'}), name: 'td_conv'}).apply(frames);
    x = tf.layers.timeDistributed({layer: tf.layers.flatten({name: 'frame_flat'}), name: 'td_flat'}).apply(x);
    x = tf.layers.timeDistributed({layer: tf.layers.dense({units: 5, name: 'frame_dense'}), name: 'td_dense'}).apply(x);
    const summary = tf.layers.lstm({units: 6, recurrentActivation: 'sigmoid', name: 'clip_lstm'}).apply(x);
    return {model: tf.model({inputs: frames, outputs: [x, summary], name: 'time_distributed'}), inputs: [[1, 4, 6, 6, 2, -1, 1]]};
};

// TensorFlow.js's GRU (reset_after=False, Keras 1's form): forwards with sequences, backwards, bidirectional.
models.keras_gru_reset_before = () => {
    const seq = tf.input({shape: [8, 5], name: 'sequence'});
    const gru = (args) => tf.layers.gru(Object.assign({recurrentActivation: 'sigmoid'}, args));
    const all = gru({units: 6, returnSequences: true, name: 'gru_seq'}).apply(seq);
    const back = gru({units: 4, goBackwards: true, name: 'gru_back'}).apply(all);
    const bi = tf.layers.bidirectional({layer: gru({units: 3, name: 'gru_inner'}), mergeMode: 'concat', name: 'bi_gru'}).apply(all);
    const out = tf.layers.concatenate({name: 'joined'}).apply([back, bi]);
    return {model: tf.model({inputs: seq, outputs: out, name: 'gru_reset_before'}), inputs: [[1, 8, 5, -1, 1]]};
};

// A model with a layer that stands for a Lambda: make_keras_files.py rewrites it into a Keras Lambda
// (Python code tfjs cannot hold). Its outputs are not compared: the layer is reported, not run.
models.keras_lambda = () => {
    const m = tf.sequential({name: 'with_lambda'});
    m.add(tf.layers.dense({inputShape: [8], units: 8, activation: 'relu', name: 'dense_in'}));
    m.add(tf.layers.activation({activation: 'linear', name: 'scale_by_two'}));
    m.add(tf.layers.dense({units: 3, name: 'dense_out'}));
    return {model: m, inputs: [[1, 8, -1, 1]], lambdaLayers: ['scale_by_two']};
};

function inputTensor(spec) {
    // spec: [dims..., lo, hi] or [dims..., lo, hi, 'int'] (whole numbers in [lo, hi))
    const isInt = spec[spec.length - 1] === 'int';
    const s = isInt ? spec.slice(0, -1) : spec;
    const dims = s.slice(0, -2), lo = s[s.length - 2], hi = s[s.length - 1];
    const n = dims.reduce((a, b) => a * b, 1);
    let v = values(n, lo, hi);
    if (isInt) v = v.map(Math.floor);
    return tf.tensor(v, dims);
}

async function build(name, outdir) {
    const {model, inputs, lambdaLayers} = models[name]();
    randomizeWeights(model);
    const xs = inputs.map(inputTensor);
    let ys = model.predict(xs.length === 1 ? xs[0] : xs);
    if (!Array.isArray(ys)) ys = [ys];
    let artifacts = null;
    await model.save(tf.io.withSaveHandler(async a => {
        artifacts = a;
        return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    const data = new Float32Array(artifacts.weightData);
    const weights = [];
    let offset = 0;
    for (const spec of artifacts.weightSpecs) {
        const n = spec.shape.reduce((a, b) => a * b, 1);
        weights.push({name: spec.name, shape: spec.shape, values: Array.from(data.subarray(offset, offset + n))});
        offset += n;
    }
    const record = (t, i, names) => ({name: names[i], shape: t.shape, values: Array.from(t.dataSync())});
    const out = {
        modelTopology: artifacts.modelTopology,
        weights,
        inputs: xs.map((t, i) => record(t, i, model.inputNames)),
        outputs: ys.map((t, i) => record(t, i, model.outputNames)),
        lambdaLayers: lambdaLayers || [],
        tfjsVersion: tf.version.tfjs,
    };
    fs.writeFileSync(path.join(outdir, name + '.tfjs.json'), JSON.stringify(out));
}

(async () => {
    const outdir = process.argv[2];
    const filter = process.argv[3] || '';
    if (!outdir) { console.error('usage: node build_fixtures.js OUTDIR [NAME_FILTER]'); process.exit(2); }
    fs.mkdirSync(outdir, {recursive: true});
    for (const name of Object.keys(models)) {
        if (!name.includes(filter)) continue;
        await build(name, outdir);
        console.log(`${name}: built`);
    }
})().catch(e => { console.error(e); process.exit(1); });
