<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CrashRecovery</name>
    <message>
        <source>an unnamed project</source>
        <translation>未命名项目</translation>
    </message>
    <message>
        <source>Recover Unsaved Settings</source>
        <translation>恢复未保存的设置</translation>
    </message>
    <message>
        <source>The studio did not close normally. Unsaved conversion settings for %1 were kept (autosaved %2). Restore them?</source>
        <translation>程序上次未正常关闭。%1 未保存的转换设置已保留（自动保存于 %2）。要恢复吗？</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>tensor shapes appear once every input has a shape (Inputs table or settings file)</source>
        <translation>每个输入都有形状后（在“输入”表或设置文件中）才会显示张量形状</translation>
    </message>
    <message>
        <source>tensor shapes appear once every input has a shape</source>
        <translation>每个输入都有形状后才会显示张量形状</translation>
    </message>
    <message>
        <source>no tensor shapes (lowering failed: %1)</source>
        <translation>没有张量形状（降级失败：%1）</translation>
    </message>
    <message>
        <source>%1
%2
Double-click to expand</source>
        <translation>%1
%2
双击展开</translation>
    </message>
    <message>
        <source>%1
Double-click the header to collapse</source>
        <translation>%1
双击标题栏折叠</translation>
    </message>
    <message>
        <source>reading ops…</source>
        <translation>正在读取算子…</translation>
    </message>
    <message numerus="yes">
        <source>%n ops</source>
        <translation>
            <numerusform>%n 个算子</numerusform>
        </translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>same</source>
        <translation>相同</translation>
    </message>
    <message>
        <source>new</source>
        <translation>新增</translation>
    </message>
    <message>
        <source>changed</source>
        <translation>已更改</translation>
    </message>
    <message>
        <source>%1%2 dB</source>
        <translation>%1%2 dB</translation>
    </message>
    <message>
        <source>%1 (%2): %3, about %4</source>
        <translation>%1（%2）：%3，约 %4</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 毫秒</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 微秒</translation>
    </message>
    <message>
        <source>%1 ns</source>
        <translation>%1 纳秒</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Estimated: %1 in all (%2)</source>
        <translation>估计：总计 %1（%2）</translation>
    </message>
    <message>
        <source>All (Neural Engine, GPU, CPU)</source>
        <translation>全部（神经网络引擎、GPU、CPU）</translation>
    </message>
    <message>
        <source>CPU and Neural Engine</source>
        <translation>CPU 和神经网络引擎</translation>
    </message>
    <message>
        <source>CPU and GPU</source>
        <translation>CPU 和 GPU</translation>
    </message>
    <message>
        <source>CPU only</source>
        <translation>仅 CPU</translation>
    </message>
    <message>
        <source>int%1 %2</source>
        <translation>int%1 %2</translation>
    </message>
    <message>
        <source>%1-bit palette</source>
        <translation>%1 位调色板</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>已剪枝</translation>
    </message>
    <message numerus="yes">
        <source>%n per-op setting(s)</source>
        <translation>
            <numerusform>%n 项逐算子设置</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n op(s) kept in fp32</source>
        <translation>
            <numerusform>%n 个算子保持 fp32</numerusform>
        </translation>
    </message>
    <message>
        <source>Run %1 · %2</source>
        <translation>第 %1 次运行 · %2</translation>
    </message>
    <message>
        <source>identical</source>
        <translation>完全相同</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>%1 dB</source>
        <translation>%1 dB</translation>
    </message>
    <message>
        <source>out of memory while analysing the package; close other programs and try again</source>
        <translation>分析包时内存不足；请关闭其他程序后重试</translation>
    </message>
    <message>
        <source>internal error while analysing the package: %1</source>
        <translation>分析包时发生内部错误：%1</translation>
    </message>
    <message>
        <source>internal error while analysing the package</source>
        <translation>分析包时发生内部错误</translation>
    </message>
    <message>
        <source>sparse</source>
        <translation>稀疏</translation>
    </message>
    <message>
        <source>%1-bit quantized</source>
        <translation>%1 位量化</translation>
    </message>
    <message>
        <source>%1 (%2 bits)</source>
        <translation>%1（%2 位）</translation>
    </message>
    <message>
        <source>Package: %1</source>
        <translation>包：%1</translation>
    </message>
    <message>
        <source>Specification version: %1</source>
        <translation>规范版本：%1</translation>
    </message>
    <message>
        <source>Description: %1</source>
        <translation>描述：%1</translation>
    </message>
    <message>
        <source>Author: %1</source>
        <translation>作者：%1</translation>
    </message>
    <message>
        <source>License: %1</source>
        <translation>许可证：%1</translation>
    </message>
    <message>
        <source>Version: %1</source>
        <translation>版本：%1</translation>
    </message>
    <message>
        <source>Inputs:</source>
        <translation>输入：</translation>
    </message>
    <message>
        <source>Outputs:</source>
        <translation>输出：</translation>
    </message>
    <message>
        <source>ML Program for %1: %2 ops (excluding constants), %3 constants</source>
        <translation>%1 的 ML Program：%2 个算子（不含常量），%3 个常量</translation>
    </message>
    <message>
        <source>Weights: %1</source>
        <translation>权重：%1</translation>
    </message>
    <message>
        <source>none (all inline)</source>
        <translation>无（全部内联）</translation>
    </message>
    <message>
        <source>Source provenance: %1 ops mapped</source>
        <translation>源模型出处：已映射 %1 个算子</translation>
    </message>
</context>
<context>
    <name>ReportDocument</name>
    <message>
        <source>pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>Conversion report: %1</source>
        <translation>转换报告：%1</translation>
    </message>
    <message>
        <source>Written by Core ML Conversion Studio %1 on %2.</source>
        <translation>由 Core ML Conversion Studio %1 于 %2 生成。</translation>
    </message>
    <message>
        <source>Model and settings</source>
        <translation>模型和设置</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>数值精度</translation>
    </message>
    <message>
        <source>Deployment target</source>
        <translation>部署目标</translation>
    </message>
    <message>
        <source>Compute units</source>
        <translation>计算单元</translation>
    </message>
    <message>
        <source>Kept in fp32</source>
        <translation>保持 fp32</translation>
    </message>
    <message>
        <source>Weight compression</source>
        <translation>权重压缩</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>configured</source>
        <translation>已配置</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>转换</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>包</translation>
    </message>
    <message>
        <source>Package size</source>
        <translation>包大小</translation>
    </message>
    <message>
        <source>Ops (excluding constants)</source>
        <translation>算子（不含常量）</translation>
    </message>
    <message>
        <source>Compressed weights</source>
        <translation>压缩后的权重</translation>
    </message>
    <message>
        <source>%1 weights: %2 → %3</source>
        <translation>%1 个权重：%2 → %3</translation>
    </message>
    <message>
        <source>Stage times</source>
        <translation>各阶段耗时</translation>
    </message>
    <message>
        <source>MIL ops by type</source>
        <translation>按类型统计的 MIL 算子</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>%1 (%2, compared with %3).</source>
        <translation>%1（%2，与 %3 比较）。</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Max abs error</source>
        <translation>最大绝对误差</translation>
    </message>
    <message>
        <source>Mean abs error</source>
        <translation>平均绝对误差</translation>
    </message>
    <message>
        <source>Max rel error</source>
        <translation>最大相对误差</translation>
    </message>
    <message>
        <source>SNR (dB)</source>
        <translation>信噪比 (dB)</translation>
    </message>
    <message>
        <source>PSNR (dB)</source>
        <translation>峰值信噪比 (dB)</translation>
    </message>
    <message>
        <source>Cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Production checklist</source>
        <translation>上线检查清单</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Based on</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>处理办法</translation>
    </message>
    <message>
        <source>Unsupported ops</source>
        <translation>不支持的算子</translation>
    </message>
    <message>
        <source>What it is</source>
        <translation>说明</translation>
    </message>
    <message>
        <source>Best next step</source>
        <translation>最佳下一步</translation>
    </message>
    <message>
        <source>Swift integration</source>
        <translation>Swift 集成</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>无法写入 %1。</translation>
    </message>
</context>
<context>
    <name>cms::ui::AccuracyReportView</name>
    <message>
        <source>Keep Suggested Ops in fp32 and Convert Again</source>
        <translation>将建议的算子保持 fp32 并重新转换</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Largest error</source>
        <translation>最大误差</translation>
    </message>
    <message>
        <source>Average error</source>
        <translation>平均误差</translation>
    </message>
    <message>
        <source>Largest error (relative)</source>
        <translation>最大误差（相对）</translation>
    </message>
    <message>
        <source>Signal-to-noise</source>
        <translation>信噪比</translation>
    </message>
    <message>
        <source>Peak SNR</source>
        <translation>峰值信噪比</translation>
    </message>
    <message>
        <source>Cosine similarity</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <source>Same top class</source>
        <translation>最高类别相同</translation>
    </message>
    <message>
        <source>Top-5 overlap</source>
        <translation>Top-5 重合度</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Maximum absolute difference from the reference</source>
        <translation>与参考结果的最大绝对差</translation>
    </message>
    <message>
        <source>Maximum difference divided by the reference&apos;s largest magnitude</source>
        <translation>最大差值除以参考结果的最大绝对值</translation>
    </message>
    <message>
        <source>Higher is better; 40 dB means the error is 1% of the signal</source>
        <translation>越高越好；40 dB 表示误差为信号的 1%</translation>
    </message>
    <message>
        <source>Signal-to-noise ratio of each layer, in execution order</source>
        <translation>按执行顺序列出的各层信噪比</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步骤</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Adds the ops the report suggests to the Conversion tab&apos;s fp32 list (undoable) and converts again</source>
        <translation>将报告建议的算子加入“转换”选项卡的 fp32 列表（可撤销）并重新转换</translation>
    </message>
    <message>
        <source>No conversion yet. After Convert, the package is run beside the source model on the same inputs and compared here.</source>
        <translation>尚未转换。点击“转换”后，包会与源模型在相同输入上运行，并在此处比较。</translation>
    </message>
    <message>
        <source>The accuracy check could not run: %1</source>
        <translation>无法运行精度检查：%1</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#2e7d32&apos;&gt;Passed&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#2e7d32&apos;&gt;通过&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;color:#c62828&apos;&gt;Failed&lt;/b&gt;</source>
        <translation>&lt;b style=&apos;color:#c62828&apos;&gt;未通过&lt;/b&gt;</translation>
    </message>
    <message>
        <source>(%1) — the %2 package compared with %3 on %4.</source>
        <translation>（%1）— 在 %4 上将 %2 包与 %3 比较。</translation>
    </message>
    <message>
        <source>First layer below %1: step %2, %3.</source>
        <translation>首个低于 %1 的层：第 %2 步，%3。</translation>
    </message>
    <message numerus="yes">
        <source>First inf/NaN: %1 (%2), %n value(s).</source>
        <translation>
            <numerusform>首个 inf/NaN：%1（%2），%n 个值。</numerusform>
        </translation>
    </message>
    <message>
        <source>Suggested: keep %1 in fp32.</source>
        <translation>建议：将 %1 保持为 fp32。</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Signal-to-noise (dB)</source>
        <translation>信噪比 (dB)</translation>
    </message>
    <message>
        <source>Threshold (%1)</source>
        <translation>阈值（%1）</translation>
    </message>
    <message>
        <source>First layer below the threshold</source>
        <translation>首个低于阈值的层</translation>
    </message>
    <message>
        <source>First inf/NaN</source>
        <translation>首个 inf/NaN</translation>
    </message>
    <message>
        <source>Layer (execution order)</source>
        <translation>层（执行顺序）</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>first below the threshold</source>
        <translation>首个低于阈值</translation>
    </message>
    <message>
        <source>error jumps here</source>
        <translation>误差在此处突增</translation>
    </message>
    <message>
        <source>first inf/NaN</source>
        <translation>首个 inf/NaN</translation>
    </message>
    <message>
        <source>values beyond fp16&apos;s range</source>
        <translation>超出 fp16 范围的值</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>Passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>未通过</translation>
    </message>
</context>
<context>
    <name>cms::ui::ChecklistPanel</name>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Not checked yet</source>
        <translation>尚未检查</translation>
    </message>
    <message>
        <source>How to fix…</source>
        <translation>如何修复…</translation>
    </message>
    <message>
        <source>Open Inputs…</source>
        <translation>打开“输入”…</translation>
    </message>
    <message>
        <source>Open Conversion…</source>
        <translation>打开“转换”…</translation>
    </message>
    <message>
        <source>Open Quantization…</source>
        <translation>打开“量化”…</translation>
    </message>
    <message>
        <source>Check Accuracy…</source>
        <translation>检查精度…</translation>
    </message>
    <message>
        <source>Model in eval() mode before tracing</source>
        <translation>跟踪前模型处于 eval() 模式</translation>
    </message>
    <message>
        <source>Preprocessing (scale/bias) baked into the model</source>
        <translation>预处理（缩放/偏置）已内置于模型</translation>
    </message>
    <message>
        <source>ML Program format</source>
        <translation>ML Program 格式</translation>
    </message>
    <message>
        <source>Accuracy tested against the source model</source>
        <translation>已对照源模型测试精度</translation>
    </message>
    <message>
        <source>Weights compressed (start with int8)</source>
        <translation>权重已压缩（建议从 int8 开始）</translation>
    </message>
    <message>
        <source>Estimated Neural Engine use</source>
        <translation>估计的神经网络引擎使用率</translation>
    </message>
    <message>
        <source>Tested with representative inputs</source>
        <translation>已用有代表性的输入测试</translation>
    </message>
    <message>
        <source>Memory estimate</source>
        <translation>内存估计</translation>
    </message>
    <message>
        <source>Fallback settings</source>
        <translation>回退设置</translation>
    </message>
    <message>
        <source>Check &amp;Accuracy</source>
        <translation>检查精度(&amp;A)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Based on</source>
        <translation>依据</translation>
    </message>
    <message>
        <source>Fix</source>
        <translation>修复</translation>
    </message>
    <message>
        <source>Production checklist</source>
        <translation>上线检查清单</translation>
    </message>
    <message>
        <source>Reading the package and estimating its placement …</source>
        <translation>正在读取包并估计其设备分配…</translation>
    </message>
    <message>
        <source>Running the source model and the package on the same inputs …</source>
        <translation>正在用相同输入运行源模型和包…</translation>
    </message>
    <message>
        <source>%1 of %2 items pass; %3 not checked yet.</source>
        <translation>%2 项中有 %1 项通过；%3 项尚未检查。</translation>
    </message>
    <message>
        <source>Convert the model first: the accuracy check compares the package with the source model.</source>
        <translation>请先转换模型：精度检查会将包与源模型进行比较。</translation>
    </message>
    <message>
        <source>Not every item could be checked: %1</source>
        <translation>并非所有项目都能检查：%1</translation>
    </message>
    <message>
        <source>the model has not been imported yet</source>
        <translation>尚未导入模型</translation>
    </message>
    <message>
        <source>no module of the model was saved in training mode</source>
        <translation>模型中没有模块是在训练模式下保存的</translation>
    </message>
    <message>
        <source>no input has a shape yet</source>
        <translation>尚无任何输入设置了形状</translation>
    </message>
    <message>
        <source>input &quot;%1&quot; (%2) looks like an image but is a plain array: the app has to normalise pixels itself</source>
        <translation>输入“%1”（%2）看起来是图像，却是普通数组：应用必须自行归一化像素</translation>
    </message>
    <message>
        <source>image input &quot;%1&quot; has scale 1 and no bias: the model receives pixels of 0-255 (right only if it normalises them itself)</source>
        <translation>图像输入“%1”的缩放为 1 且没有偏置：模型收到的像素值为 0–255（仅当模型自行归一化时才正确）</translation>
    </message>
    <message>
        <source>no input looks like an image: nothing to bake in</source>
        <translation>没有输入看起来是图像：无需内置预处理</translation>
    </message>
    <message>
        <source>%1 image input(s) with scale and bias set</source>
        <translation>%1 个图像输入已设置缩放和偏置</translation>
    </message>
    <message>
        <source>not converted yet</source>
        <translation>尚未转换</translation>
    </message>
    <message>
        <source>ML Program, specification version %1 (%2)</source>
        <translation>ML Program，规范版本 %1（%2）</translation>
    </message>
    <message>
        <source>not an ML Program, specification version %1 (%2)</source>
        <translation>不是 ML Program，规范版本 %1（%2）</translation>
    </message>
    <message>
        <source>no accuracy check has run on the converted package</source>
        <translation>尚未对转换后的包运行精度检查</translation>
    </message>
    <message>
        <source>passed (%1, compared with %2)</source>
        <translation>通过（%1，与 %2 比较）</translation>
    </message>
    <message>
        <source>failed (%1, compared with %2)</source>
        <translation>未通过（%1，与 %2 比较）</translation>
    </message>
    <message>
        <source>passed (%1, compared with %2); lowest SNR %3 on output &quot;%4&quot;</source>
        <translation>通过（%1，与 %2 比较）；最低信噪比 %3，位于输出“%4”</translation>
    </message>
    <message>
        <source>failed (%1, compared with %2); lowest SNR %3 on output &quot;%4&quot;</source>
        <translation>未通过（%1，与 %2 比较）；最低信噪比 %3，位于输出“%4”</translation>
    </message>
    <message>
        <source>no compression is set: weights are stored in %1</source>
        <translation>未设置压缩：权重以 %1 存储</translation>
    </message>
    <message>
        <source>compression is set; the model has not been converted with it yet</source>
        <translation>已设置压缩；模型尚未以此设置转换</translation>
    </message>
    <message>
        <source>compression is set but no weight was compressed (no weight matched the settings)</source>
        <translation>已设置压缩，但没有权重被压缩（没有权重符合设置）</translation>
    </message>
    <message>
        <source>%1 weights compressed: %2 -&gt; %3 (%4x smaller)</source>
        <translation>已压缩 %1 个权重：%2 → %3（缩小为 1/%4）</translation>
    </message>
    <message>
        <source>%1 weights compressed: %2 -&gt; %3</source>
        <translation>已压缩 %1 个权重：%2 → %3</translation>
    </message>
    <message>
        <source>not converted yet (the estimate reads the package)</source>
        <translation>尚未转换（估计需要读取包）</translation>
    </message>
    <message>
        <source>%1 of the compute and %2 of the ops on the Neural Engine (estimate for %3, %4)</source>
        <translation>%1 的计算量和 %2 的算子在神经网络引擎上（针对 %3、%4 的估计）</translation>
    </message>
    <message>
        <source>%1 of the compute and %2 of the ops on the Neural Engine (estimate for %3, %4); most ops off it: %5 (%6 ops)</source>
        <translation>%1 的计算量和 %2 的算子在神经网络引擎上（针对 %3、%4 的估计）；多数未在其上运行的算子原因：%5（%6 个算子）</translation>
    </message>
    <message>
        <source>checked with random inputs only</source>
        <translation>仅用随机输入检查过</translation>
    </message>
    <message>
        <source>checked with %1</source>
        <translation>已用 %1 检查</translation>
    </message>
    <message>
        <source>about %1 (weights %2 plus the largest op&apos;s activations); measure on a device under load to confirm</source>
        <translation>约 %1（权重 %2 加上最大算子的激活）；请在负载下的设备上测量以确认</translation>
    </message>
    <message>
        <source>compute units CPU_ONLY: no acceleration (the right setting for isolating a problem, not for shipping)</source>
        <translation>计算单元 CPU_ONLY：无加速（适合排查问题，不适合发布）</translation>
    </message>
    <message>
        <source>the accuracy check suggests keeping %1 op(s) in fp32 that are not, e.g. %2</source>
        <translation>精度检查建议将 %1 个尚未保留的算子保留为 fp32，例如 %2</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the CPU</source>
        <translation>计算单元 %1：首选设备无法运行的部分由 Core ML 在 CPU 上运行</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the GPU or CPU</source>
        <translation>计算单元 %1：首选设备无法运行的部分由 Core ML 在 GPU 或 CPU 上运行</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the CPU; %2 op(s) kept in fp32</source>
        <translation>计算单元 %1：首选设备无法运行的部分由 Core ML 在 CPU 上运行；%2 个算子保留为 fp32</translation>
    </message>
    <message>
        <source>compute units %1: Core ML runs what the preferred device cannot on the GPU or CPU; %2 op(s) kept in fp32</source>
        <translation>计算单元 %1：首选设备无法运行的部分由 Core ML 在 GPU 或 CPU 上运行；%2 个算子保留为 fp32</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1（来自 %2）</translation>
    </message>
</context>
<context>
    <name>cms::ui::CompareRunsView</name>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>First run</source>
        <translation>第一次运行</translation>
    </message>
    <message>
        <source>Second run</source>
        <translation>第二次运行</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Device (first)</source>
        <translation>设备（第一次）</translation>
    </message>
    <message>
        <source>Device (second)</source>
        <translation>设备（第二次）</translation>
    </message>
    <message>
        <source>Signal-to-noise (first → second)</source>
        <translation>信噪比（第一次 → 第二次）</translation>
    </message>
    <message>
        <source>What changed</source>
        <translation>变化内容</translation>
    </message>
    <message>
        <source>Signal-to-noise of each layer, both runs</source>
        <translation>两次运行中各层的信噪比</translation>
    </message>
    <message>
        <source>Ops by estimated device, both runs</source>
        <translation>两次运行中按估计设备统计的算子</translation>
    </message>
    <message>
        <source>First run:</source>
        <translation>第一次运行：</translation>
    </message>
    <message>
        <source>Second run:</source>
        <translation>第二次运行：</translation>
    </message>
    <message>
        <source>Chip for the placement estimate:</source>
        <translation>设备分配估计所用芯片：</translation>
    </message>
    <message>
        <source>Convert at least twice (e.g. with two compression settings) to compare runs; the session keeps the last runs.</source>
        <translation>至少转换两次（例如使用两种压缩设置）才能比较运行结果；本次会话会保留最近的几次运行。</translation>
    </message>
    <message>
        <source>Both sides show the same run; pick another.</source>
        <translation>两侧显示的是同一次运行；请另选一次。</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Package size</source>
        <translation>包大小</translation>
    </message>
    <message>
        <source>Weights stored</source>
        <translation>存储的权重</translation>
    </message>
    <message>
        <source>Signal-to-noise of %1</source>
        <translation>%1 的信噪比</translation>
    </message>
    <message>
        <source>Largest error of %1</source>
        <translation>%1 的最大误差</translation>
    </message>
    <message>
        <source>Accuracy check</source>
        <translation>精度检查</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>通过</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>未通过</translation>
    </message>
    <message>
        <source>Estimated time per prediction</source>
        <translation>每次预测的估计时间</translation>
    </message>
    <message>
        <source>Ops on the %1</source>
        <translation>%1 上的算子</translation>
    </message>
    <message>
        <source>moved from the %1 to the %2</source>
        <translation>从 %1 移到 %2</translation>
    </message>
    <message>
        <source>error smaller by %1</source>
        <translation>误差减小 %1</translation>
    </message>
    <message>
        <source>error larger by %1</source>
        <translation>误差增大 %1</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>Layer (execution order)</source>
        <translation>层（执行顺序）</translation>
    </message>
    <message>
        <source>Ops</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>%1 against %2</source>
        <translation>%1 对比 %2</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>比较</translation>
    </message>
</context>
<context>
    <name>cms::ui::CompositeEditor</name>
    <message>
        <source>composites:
  - op: &quot;aten::name(Tensor self) -&gt; Tensor&quot;
    output: …</source>
        <translation>composites:
  - op: &quot;aten::name(Tensor self) -&gt; Tensor&quot;
    output: …</translation>
    </message>
    <message>
        <source>Composite definitions</source>
        <translation>组合算子定义</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>Write a composite for one of the unsupported ops, or start from an op&apos;s template.</source>
        <translation>为某个不支持的算子编写组合定义，或从算子的模板开始。</translation>
    </message>
    <message>
        <source> (what to do: %1)</source>
        <translation>（处理办法：%1）</translation>
    </message>
    <message>
        <source>this file defines %1, but the ops this model cannot convert are %2</source>
        <translation>此文件定义了 %1，但此模型无法转换的算子是 %2</translation>
    </message>
    <message>
        <source>Checked: defines %1 of the %2 unsupported op(s): %3.</source>
        <translation>已检查：定义了 %2 个不支持算子中的 %1 个：%3。</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s).</source>
        <translation>
            <numerusform>%n 个问题。</numerusform>
        </translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>第 %1 行：%2</translation>
    </message>
</context>
<context>
    <name>cms::ui::ConversionPanel</name>
    <message>
        <source>Model.mlpackage</source>
        <translation>Model.mlpackage</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Output package:</source>
        <translation>输出包：</translation>
    </message>
    <message>
        <source>fp16 (fp32 inputs/outputs)</source>
        <translation>fp16（输入/输出为 fp32）</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>数值精度：</translation>
    </message>
    <message>
        <source>e.g. softmax, layer_norm, encoder.layer.11</source>
        <translation>例如 softmax, layer_norm, encoder.layer.11</translation>
    </message>
    <message>
        <source>With fp16 precision: MIL op types or module paths (comma-separated) computed in fp32.</source>
        <translation>使用 fp16 数值精度时：以 fp32 计算的 MIL 算子类型或模块路径（用逗号分隔）。</translation>
    </message>
    <message>
        <source>Keep in fp32:</source>
        <translation>保持 fp32：</translation>
    </message>
    <message>
        <source>Deployment target:</source>
        <translation>部署目标：</translation>
    </message>
    <message>
        <source>Recorded in the project for loading the model; Core ML picks the units at load time.</source>
        <translation>记录在项目中供加载模型时使用；Core ML 在加载时选择计算单元。</translation>
    </message>
    <message>
        <source>Compute units:</source>
        <translation>计算单元：</translation>
    </message>
    <message>
        <source>Never run the model&apos;s code (untrusted model)</source>
        <translation>从不运行模型的代码（不受信任的模型）</translation>
    </message>
    <message>
        <source>Accuracy checks normally run the TorchScript model with libtorch, which executes its code. When set, they compare with the model&apos;s own fp32 conversion instead.</source>
        <translation>精度检查通常用 libtorch 运行 TorchScript 模型，这会执行模型中的代码。勾选后，改为与该模型自身的 fp32 转换结果比较。</translation>
    </message>
    <message>
        <source>Accuracy check:</source>
        <translation>精度检查：</translation>
    </message>
    <message>
        <source>Author:</source>
        <translation>作者：</translation>
    </message>
    <message>
        <source>License:</source>
        <translation>许可证：</translation>
    </message>
    <message>
        <source>Description:</source>
        <translation>描述：</translation>
    </message>
    <message>
        <source>Version:</source>
        <translation>版本：</translation>
    </message>
    <message>
        <source>Set precision</source>
        <translation>设置数值精度</translation>
    </message>
    <message>
        <source>Set deployment target</source>
        <translation>设置部署目标</translation>
    </message>
    <message>
        <source>Set compute units</source>
        <translation>设置计算单元</translation>
    </message>
    <message>
        <source>Never run the model&apos;s code</source>
        <translation>从不运行模型的代码</translation>
    </message>
    <message>
        <source>Allow running the model&apos;s code</source>
        <translation>允许运行模型的代码</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>Save Core ML Package</source>
        <translation>保存 Core ML 包</translation>
    </message>
    <message>
        <source>Core ML package (*.mlpackage)</source>
        <translation>Core ML 包 (*.mlpackage)</translation>
    </message>
    <message>
        <source>Choose the output package</source>
        <translation>选择输出包</translation>
    </message>
</context>
<context>
    <name>cms::ui::ConversionProgress</name>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop the conversion; nothing is written (Esc)</source>
        <translation>停止转换；不会写入任何内容（Esc）</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Converting…</source>
        <translation>正在转换…</translation>
    </message>
    <message>
        <source>skipped</source>
        <translation>已跳过</translation>
    </message>
    <message>
        <source>Done in %1 s</source>
        <translation>用时 %1 秒完成</translation>
    </message>
    <message>
        <source>Cancelled after %1 s; nothing was written</source>
        <translation>%1 秒后已取消；未写入任何内容</translation>
    </message>
    <message>
        <source>Failed after %1 s</source>
        <translation>%1 秒后失败</translation>
    </message>
    <message>
        <source>Converting… %1 s</source>
        <translation>正在转换… %1 秒</translation>
    </message>
</context>
<context>
    <name>cms::ui::ConversionRunner</name>
    <message>
        <source>computing tensor shapes and the ML Program…</source>
        <translation>正在计算张量形状和 ML Program…</translation>
    </message>
    <message>
        <source>no provenance sidecar (not written by this studio): ops are not grouped by module</source>
        <translation>没有出处附属文件（不是由本程序写入）：算子未按模块分组</translation>
    </message>
</context>
<context>
    <name>cms::ui::GraphView</name>
    <message>
        <source>Source graph</source>
        <translation>源图</translation>
    </message>
    <message>
        <source>ML Program</source>
        <translation>ML Program</translation>
    </message>
    <message>
        <source>Find op or module (Ctrl+F), Enter for next</source>
        <translation>查找算子或模块（Ctrl+F），按 Enter 查找下一个</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Fit the graph to the window</source>
        <translation>使图适应窗口</translation>
    </message>
    <message>
        <source>+</source>
        <translation>+</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>−</source>
        <translation>−</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Expand all</source>
        <translation>全部展开</translation>
    </message>
    <message>
        <source>Expand every group (slow for very large models)</source>
        <translation>展开所有组（模型很大时较慢）</translation>
    </message>
    <message>
        <source>Collapse all</source>
        <translation>全部折叠</translation>
    </message>
    <message>
        <source>Collapse every group</source>
        <translation>折叠所有组</translation>
    </message>
    <message>
        <source>Show the converted ML Program beside the source graph</source>
        <translation>在源图旁显示转换后的 ML Program</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n 个匹配</numerusform>
        </translation>
    </message>
    <message>
        <source>no match</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>第 %1 个，共 %2 个</translation>
    </message>
    <message>
        <source>Cannot describe this op: %1</source>
        <translation>无法描述此算子：%1</translation>
    </message>
    <message>
        <source>%1: %2 nodes in %3 groups, showing %4 boxes (layout %5 ms)</source>
        <translation>%1：%3 个组中共 %2 个节点，显示 %4 个方框（布局 %5 毫秒）</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message numerus="yes">
        <source>selected op became %n MIL op(s)</source>
        <translation>
            <numerusform>所选算子变为 %n 个 MIL 算子</numerusform>
        </translation>
    </message>
    <message>
        <source>No graph.</source>
        <translation>没有图。</translation>
    </message>
</context>
<context>
    <name>cms::ui::ImagePreprocessingEditor</name>
    <message>
        <source>Colour layout:</source>
        <translation>颜色排列：</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Fills in scale and bias: Core ML computes scale × pixel + bias per channel, pixels 0–255.</source>
        <translation>填入缩放和偏置：Core ML 按通道计算 缩放 × 像素 + 偏置，像素取值 0–255。</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>A number or a fraction such as 1/255</source>
        <translation>数字或分数，例如 1/255</translation>
    </message>
    <message>
        <source>Scale:</source>
        <translation>缩放：</translation>
    </message>
    <message>
        <source>Bias per channel:</source>
        <translation>每通道偏置：</translation>
    </message>
    <message>
        <source>The %1 preset is for colour (RGB or BGR) images.</source>
        <translation>%1 预设适用于彩色（RGB 或 BGR）图像。</translation>
    </message>
    <message>
        <source>Scale: &quot;%1&quot; is not a number</source>
        <translation>缩放：“%1”不是数字</translation>
    </message>
    <message>
        <source>Bias: &quot;%1&quot; is not a number</source>
        <translation>偏置：“%1”不是数字</translation>
    </message>
</context>
<context>
    <name>cms::ui::InputsPanel</name>
    <message>
        <source>States (iOS18)</source>
        <translation>状态（iOS18）</translation>
    </message>
    <message>
        <source>Image preprocessing</source>
        <translation>图像预处理</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>选项</translation>
    </message>
    <message>
        <source>Shape like 1x3x224x224, 1x3x(64..512)x(64..512) or enum(1x3x224x224,1x3x256x256). Options: image,scale=1/255,bias=R,G,B,layout=RGB or dtype=fp16|int32</source>
        <translation>形状如 1x3x224x224、1x3x(64..512)x(64..512) 或 enum(1x3x224x224,1x3x256x256)。选项：image,scale=1/255,bias=R,G,B,layout=RGB 或 dtype=fp16|int32</translation>
    </message>
    <message>
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Data type:</source>
        <translation>数据类型：</translation>
    </message>
    <message>
        <source>Shape:</source>
        <translation>形状：</translation>
    </message>
    <message>
        <source>The package accepts every shape allowed here; the program computes the varying sizes at run time. An op that needs one of them fixed stops Convert with an error naming the op and the dimension.</source>
        <translation>包接受此处允许的所有形状；程序在运行时计算可变的尺寸。如果某个算子要求其中某个尺寸固定，“转换”会报错并指出该算子和维度。</translation>
    </message>
    <message>
        <source>Output names</source>
        <translation>输出名称</translation>
    </message>
    <message>
        <source>Model output</source>
        <translation>模型输出</translation>
    </message>
    <message>
        <source>Name in the package</source>
        <translation>包中的名称</translation>
    </message>
    <message>
        <source>Make %1 %2</source>
        <translation>将 %1 设为%2</translation>
    </message>
    <message>
        <source>an image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>a tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <source>Set the data type of %1</source>
        <translation>设置 %1 的数据类型</translation>
    </message>
    <message>
        <source>Edit the shape of %1</source>
        <translation>编辑 %1 的形状</translation>
    </message>
    <message>
        <source>Edit the preprocessing of %1</source>
        <translation>编辑 %1 的预处理</translation>
    </message>
    <message>
        <source>output %1</source>
        <translation>输出 %1</translation>
    </message>
    <message>
        <source>No input selected</source>
        <translation>未选择输入</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;</source>
        <translation>输入“%1”</translation>
    </message>
    <message>
        <source>Enter a shape in the table first.</source>
        <translation>请先在表中输入形状。</translation>
    </message>
    <message>
        <source>Clear the shape of %1</source>
        <translation>清除 %1 的形状</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;: %2
What to do: %3</source>
        <translation>输入“%1”：%2
处理办法：%3</translation>
    </message>
    <message>
        <source>Edit %1</source>
        <translation>编辑 %1</translation>
    </message>
    <message>
        <source>Output %1 needs a name.</source>
        <translation>输出 %1 需要名称。</translation>
    </message>
    <message>
        <source>Rename output %1</source>
        <translation>重命名输出 %1</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;: %2: %3</source>
        <translation>输入“%1”：%2：%3</translation>
    </message>
</context>
<context>
    <name>cms::ui::Labels</name>
    <message>
        <source>Import</source>
        <translation>导入</translation>
    </message>
    <message>
        <source>Lower</source>
        <translation>降级</translation>
    </message>
    <message>
        <source>Passes</source>
        <translation>优化</translation>
    </message>
    <message>
        <source>Compress</source>
        <translation>压缩</translation>
    </message>
    <message>
        <source>Write</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>Verify</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Linear quantization</source>
        <translation>线性量化</translation>
    </message>
    <message>
        <source>Palettization</source>
        <translation>调色板化</translation>
    </message>
    <message>
        <source>Threshold pruning</source>
        <translation>阈值剪枝</translation>
    </message>
    <message>
        <source>Magnitude pruning</source>
        <translation>幅值剪枝</translation>
    </message>
</context>
<context>
    <name>cms::ui::Language</name>
    <message>
        <source>System language</source>
        <translation>系统语言</translation>
    </message>
</context>
<context>
    <name>cms::ui::MainWindow</name>
    <message>
        <source>%1 — Core ML Conversion Studio</source>
        <translation>%1 — Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>Opened package %1.</source>
        <translation>已打开包 %1。</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Open &amp;Demo Model</source>
        <translation>打开演示模型(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Save Project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save Project &amp;As…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <source>About Core ML Conversion Studio</source>
        <translation>关于 Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>Core ML Conversion Studio %1
Converts TorchScript models to Core ML packages.</source>
        <translation>Core ML Conversion Studio %1
将 TorchScript 模型转换为 Core ML 包。</translation>
    </message>
    <message>
        <source>Clear Recent Files</source>
        <translation>清除最近文件</translation>
    </message>
    <message>
        <source>No model open. Use File › Open or drop a TorchScript file here.</source>
        <translation>没有打开的模型。请使用“文件 › 打开”，或将 TorchScript 文件拖放到此处。</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Conversion</source>
        <translation>转换</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <source>Convert</source>
        <translation>转换</translation>
    </message>
    <message>
        <source>Convert the model with these settings (%1)</source>
        <translation>使用这些设置转换模型（%1）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Results and errors appear here.</source>
        <translation>结果和错误将显示在这里。</translation>
    </message>
    <message>
        <source>Open Model, Package or Project</source>
        <translation>打开模型、包或项目</translation>
    </message>
    <message>
        <source>Models and projects (*.pt *.pth *.ts *.ptl *.torchscript *.h5 *.keras *.cmsproj *.json);;TorchScript (*.pt *.pth *.ts *.ptl *.torchscript);;Keras (*.h5 *.keras);;Projects (*.cmsproj *.json);;Core ML package manifest (Manifest.json);;All files (*)</source>
        <translation>模型和项目 (*.pt *.pth *.ts *.ptl *.torchscript *.h5 *.keras *.cmsproj *.json);;TorchScript (*.pt *.pth *.ts *.ptl *.torchscript);;Keras (*.h5 *.keras);;项目 (*.cmsproj *.json);;Core ML 包清单 (Manifest.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before opening another model.</source>
        <translation>有任务正在运行；请先取消或等待其完成，再打开其他模型。</translation>
    </message>
    <message>
        <source>Opening %1 …</source>
        <translation>正在打开 %1…</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before opening a package.</source>
        <translation>有任务正在运行；请先取消或等待其完成，再打开包。</translation>
    </message>
    <message>
        <source>Reading %1 …</source>
        <translation>正在读取 %1…</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before opening a project.</source>
        <translation>有任务正在运行；请先取消或等待其完成，再打开项目。</translation>
    </message>
    <message>
        <source>Opened project %1. It names no model: open one to convert.</source>
        <translation>已打开项目 %1。它没有指定模型：请打开一个模型以进行转换。</translation>
    </message>
    <message>
        <source>A job is running; cancel it or wait before restoring settings.</source>
        <translation>有任务正在运行；请先取消或等待其完成，再恢复设置。</translation>
    </message>
    <message>
        <source>Restore autosaved settings</source>
        <translation>恢复自动保存的设置</translation>
    </message>
    <message>
        <source>Restored the autosaved settings.</source>
        <translation>已恢复自动保存的设置。</translation>
    </message>
    <message>
        <source>Saved project %1</source>
        <translation>已保存项目 %1</translation>
    </message>
    <message>
        <source>Save Project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>Conversion project (*.cmsproj);;Settings JSON (*.json)</source>
        <translation>转换项目 (*.cmsproj);;设置 JSON (*.json)</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The conversion settings have unsaved changes. Save them first?</source>
        <translation>转换设置有未保存的更改。要先保存吗？</translation>
    </message>
    <message>
        <source>Core ML Conversion Studio</source>
        <translation>Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>%1[*] — Core ML Conversion Studio</source>
        <translation>%1[*] — Core ML Conversion Studio</translation>
    </message>
    <message>
        <source>Settings from project %1</source>
        <translation>来自项目 %1 的设置</translation>
    </message>
    <message>
        <source>Defaults read from %1</source>
        <translation>已从 %1 读取默认值</translation>
    </message>
    <message>
        <source>Ignored %1: %2</source>
        <translation>已忽略 %1：%2</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>警告：%1</translation>
    </message>
    <message>
        <source>Enter a shape for each input (TorchScript files do not record them), e.g. 1x3x224x224.</source>
        <translation>请为每个输入填写形状（TorchScript 文件不记录形状），例如 1x3x224x224。</translation>
    </message>
    <message>
        <source>Opened %1.
</source>
        <translation>已打开 %1。
</translation>
    </message>
    <message>
        <source>Open a model first (File › Open, or drop a file on the window).</source>
        <translation>请先打开模型（“文件 › 打开”，或将文件拖放到窗口上）。</translation>
    </message>
    <message>
        <source>Converting %1 …</source>
        <translation>正在转换 %1…</translation>
    </message>
    <message>
        <source>Wrote %1</source>
        <translation>已写入 %1</translation>
    </message>
    <message>
        <source>Size: %1</source>
        <translation>大小：%1</translation>
    </message>
    <message>
        <source>Ops: %1 (excluding constants)</source>
        <translation>算子：%1（不含常量）</translation>
    </message>
    <message>
        <source>Stage times: %1</source>
        <translation>各阶段耗时：%1</translation>
    </message>
    <message>
        <source>No warnings.</source>
        <translation>没有警告。</translation>
    </message>
    <message>
        <source>Cancelled. No package was written.</source>
        <translation>已取消。未写入任何包。</translation>
    </message>
    <message>
        <source>reading ops…</source>
        <translation>正在读取算子…</translation>
    </message>
    <message>
        <source>%1 source ops</source>
        <translation>%1 个源算子</translation>
    </message>
    <message>
        <source>Model: %1 (%2; outputs: %3)</source>
        <translation>模型：%1（%2；输出：%3）</translation>
    </message>
    <message>
        <source>Compress as…</source>
        <translation>压缩为…</translation>
    </message>
    <message>
        <source>Compress as… (select ops with weights)</source>
        <translation>压缩为…（请选择带权重的算子）</translation>
    </message>
    <message>
        <source>Keep uncompressed</source>
        <translation>保持不压缩</translation>
    </message>
    <message>
        <source>%1 %2 s</source>
        <translation>%1 %2 秒</translation>
    </message>
    <message>
        <source>Stop the conversion; nothing is written (Esc)</source>
        <translation>停止转换；不会写入任何内容（Esc）</translation>
    </message>
</context>
<context>
    <name>cms::ui::Minimap</name>
    <message>
        <source>Overview: click or drag to move the view</source>
        <translation>概览：单击或拖动以移动视图</translation>
    </message>
</context>
<context>
    <name>cms::ui::NodeInspector</name>
    <message>
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>MIL name</source>
        <translation>MIL 名称</translation>
    </message>
    <message>
        <source>Lowered from</source>
        <translation>降级自</translation>
    </message>
    <message>
        <source>Module</source>
        <translation>模块</translation>
    </message>
    <message>
        <source>Module type</source>
        <translation>模块类型</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <source>Weight %1</source>
        <translation>权重 %1</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Dtype</source>
        <translation>数据类型</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Range</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Ops inside</source>
        <translation>包含的算子</translation>
    </message>
    <message>
        <source>known when the import finishes</source>
        <translation>导入完成后可知</translation>
    </message>
    <message>
        <source>Submodules</source>
        <translation>子模块</translation>
    </message>
    <message>
        <source>Ops</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Double-click to expand or collapse.</source>
        <translation>双击展开或折叠。</translation>
    </message>
    <message>
        <source>Select an op to inspect it. Double-click a group to expand or collapse it.</source>
        <translation>选择一个算子以查看详情。双击组可展开或折叠。</translation>
    </message>
</context>
<context>
    <name>cms::ui::PlacementReportView</name>
    <message>
        <source>Colour the graph</source>
        <translation>为图着色</translation>
    </message>
    <message>
        <source>By device</source>
        <translation>按设备</translation>
    </message>
    <message>
        <source>By estimated time</source>
        <translation>按估计时间</translation>
    </message>
    <message>
        <source>Estimated time by device (ms)</source>
        <translation>按设备统计的估计时间（毫秒）</translation>
    </message>
    <message>
        <source>Ops by device</source>
        <translation>按设备统计的算子</translation>
    </message>
    <message>
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Estimated time (µs)</source>
        <translation>估计时间（微秒）</translation>
    </message>
    <message>
        <source>Why not on the Neural Engine</source>
        <translation>为何不在神经网络引擎上运行</translation>
    </message>
    <message>
        <source>Chip:</source>
        <translation>芯片：</translation>
    </message>
    <message>
        <source>Compute units:</source>
        <translation>计算单元：</translation>
    </message>
    <message>
        <source>Colour:</source>
        <translation>颜色：</translation>
    </message>
    <message>
        <source>No conversion yet. Where Core ML is likely to run each op appears here after Convert.</source>
        <translation>尚未转换。点击“转换”后，这里会显示 Core ML 可能在哪个设备上运行每个算子。</translation>
    </message>
    <message>
        <source>%1% of ops on the %2</source>
        <translation>%1% 的算子在 %2 上</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;About %1 per prediction&lt;/b&gt; on %2 — %3; %n hand-over(s) between devices.</source>
        <translation>
            <numerusform>&lt;b&gt;在 %2 上每次预测约 %1&lt;/b&gt; — %3；设备间切换 %n 次。</numerusform>
        </translation>
    </message>
    <message>
        <source>This is an estimate from public notes and peak figures; on a Mac, Xcode&apos;s performance report shows where the model really runs.</source>
        <translation>这是根据公开资料和峰值数据得出的估计；在 Mac 上，Xcode 的性能报告会显示模型实际在哪里运行。</translation>
    </message>
    <message>
        <source>Ops</source>
        <translation>算子</translation>
    </message>
    <message>
        <source>Legend: %1</source>
        <translation>图例：%1</translation>
    </message>
    <message>
        <source>Legend: estimated time per op, %1 %2 %3</source>
        <translation>图例：每个算子的估计时间，%1 %2 %3</translation>
    </message>
    <message>
        <source>Placement (estimate)</source>
        <translation>设备分配（估计）</translation>
    </message>
    <message numerus="yes">
        <source>%1, compute units %2: about %3 per prediction, %n hand-over(s).</source>
        <translation>
            <numerusform>%1，计算单元 %2：每次预测约 %3，切换 %n 次。</numerusform>
        </translation>
    </message>
    <message>
        <source>Estimated time</source>
        <translation>估计时间</translation>
    </message>
    <message>
        <source>Placement</source>
        <translation>设备分配</translation>
    </message>
    <message>
        <source>µs</source>
        <translation>微秒</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>毫秒</translation>
    </message>
    <message>
        <source>Estimated time by device (%1)</source>
        <translation>按设备统计的估计时间（%1）</translation>
    </message>
    <message>
        <source>Estimated time (%1)</source>
        <translation>估计时间（%1）</translation>
    </message>
</context>
<context>
    <name>cms::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>语言(&amp;L)：</translation>
    </message>
    <message>
        <source>The new language is used when the studio starts next.</source>
        <translation>新语言将在下次启动程序时生效。</translation>
    </message>
    <message>
        <source>&amp;Clear Recent Files</source>
        <translation>清除最近文件(&amp;C)</translation>
    </message>
    <message>
        <source>Recent files:</source>
        <translation>最近文件：</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>首选项(&amp;P)…</translation>
    </message>
</context>
<context>
    <name>cms::ui::QuantizationPanel</name>
    <message>
        <source>Convert applies these rows to the weights (more specific rows win: op, then op type, then global). Compressed weights need iOS16 or later (4-bit and per-block quantization: iOS18); Convert names any row the deployment target cannot run.</source>
        <translation>“转换”会将这些行应用到权重（越具体的行优先：算子，其次算子类型，最后全局）。压缩权重需要 iOS16 或更高版本（4 位和分块量化需要 iOS18）；“转换”会指出部署目标无法运行的行。</translation>
    </message>
    <message>
        <source>Scope</source>
        <translation>范围</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>方法</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>Bits</source>
        <translation>位数</translation>
    </message>
    <message>
        <source>Granularity</source>
        <translation>粒度</translation>
    </message>
    <message>
        <source>Block/group</source>
        <translation>块/组</translation>
    </message>
    <message>
        <source>Min. elements</source>
        <translation>最少元素数</translation>
    </message>
    <message>
        <source>weight_threshold: smaller weights stay uncompressed</source>
        <translation>weight_threshold：更小的权重保持不压缩</translation>
    </message>
    <message>
        <source>Global</source>
        <translation>全局</translation>
    </message>
    <message>
        <source>Add op type</source>
        <translation>添加算子类型</translation>
    </message>
    <message>
        <source>Add op</source>
        <translation>添加算子</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Load YAML…</source>
        <translation>加载 YAML…</translation>
    </message>
    <message>
        <source>Save YAML…</source>
        <translation>保存 YAML…</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Clear compression settings</source>
        <translation>清除压缩设置</translation>
    </message>
    <message>
        <source>Load Compression Config</source>
        <translation>加载压缩配置</translation>
    </message>
    <message>
        <source>YAML (*.yaml *.yml);;All files (*)</source>
        <translation>YAML (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Save Compression Config</source>
        <translation>保存压缩配置</translation>
    </message>
    <message>
        <source>YAML (*.yaml *.yml)</source>
        <translation>YAML (*.yaml *.yml)</translation>
    </message>
    <message>
        <source>Load %1</source>
        <translation>加载 %1</translation>
    </message>
    <message numerus="yes">
        <source>Compress %n op(s)</source>
        <translation>
            <numerusform>压缩 %n 个算子</numerusform>
        </translation>
    </message>
    <message>
        <source>Add a compression row</source>
        <translation>添加压缩行</translation>
    </message>
    <message>
        <source>Remove a compression row</source>
        <translation>移除压缩行</translation>
    </message>
    <message>
        <source>(all weights)</source>
        <translation>（所有权重）</translation>
    </message>
    <message>
        <source>None (keep)</source>
        <translation>无（保持）</translation>
    </message>
    <message>
        <source>block_size (input-axis elements per scale)</source>
        <translation>block_size（每个缩放因子对应的输入轴元素数）</translation>
    </message>
    <message>
        <source>group_size (channels per table)</source>
        <translation>group_size（每张查找表的通道数）</translation>
    </message>
    <message>
        <source>threshold: weights with |w| at or below it become zero</source>
        <translation>threshold：|w| 小于或等于该值的权重置零</translation>
    </message>
    <message>
        <source>min. sparsity </source>
        <translation>最小稀疏度 </translation>
    </message>
    <message>
        <source>minimum_sparsity_percentile: a weight is pruned only if at least this fraction of it falls under the threshold</source>
        <translation>minimum_sparsity_percentile：仅当权重中至少有这一比例低于阈值时才剪枝</translation>
    </message>
    <message>
        <source>target sparsity</source>
        <translation>目标稀疏度</translation>
    </message>
    <message>
        <source>n:m</source>
        <translation>n:m</translation>
    </message>
    <message>
        <source>n_m_ratio: n of every m consecutive weights become zero (e.g. 2:4)</source>
        <translation>n_m_ratio：每 m 个连续权重中有 n 个置零（例如 2:4）</translation>
    </message>
    <message>
        <source>target_sparsity: the fraction of weights (smallest magnitudes) set to zero</source>
        <translation>target_sparsity：置零的权重比例（按绝对值从小到大）</translation>
    </message>
    <message>
        <source>dim: default</source>
        <translation>dim：默认</translation>
    </message>
    <message>
        <source>dim 0</source>
        <translation>dim 0</translation>
    </message>
    <message>
        <source>dim 1</source>
        <translation>dim 1</translation>
    </message>
    <message>
        <source>dim: the axis blocks and n:m groups run along</source>
        <translation>dim：块和 n:m 组所沿的轴</translation>
    </message>
    <message>
        <source>no blocks</source>
        <translation>不分块</translation>
    </message>
    <message>
        <source>block_size: weights are zeroed in blocks of this many along dim</source>
        <translation>block_size：沿 dim 按此大小成块置零</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Keep weights uncompressed</source>
        <translation>保持权重不压缩</translation>
    </message>
    <message>
        <source>The pruning threshold must be a number of 0 or more, e.g. 1e-3.</source>
        <translation>剪枝阈值必须是大于或等于 0 的数，例如 1e-3。</translation>
    </message>
    <message>
        <source>An n:m ratio needs 0 &lt;= n &lt;= m and m &gt;= 1, e.g. 2:4.</source>
        <translation>n:m 比例需要满足 0 &lt;= n &lt;= m 且 m &gt;= 1，例如 2:4。</translation>
    </message>
    <message>
        <source>Edit compression of %1</source>
        <translation>编辑 %1 的压缩</translation>
    </message>
    <message>
        <source>all weights</source>
        <translation>所有权重</translation>
    </message>
    <message>
        <source>A compression row needs a name.</source>
        <translation>压缩行需要名称。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; already has a row.</source>
        <translation>“%1”已有一行。</translation>
    </message>
    <message>
        <source>Rename compression row</source>
        <translation>重命名压缩行</translation>
    </message>
    <message>
        <source>Open a model to see the estimated weight size.</source>
        <translation>打开模型以查看估计的权重大小。</translation>
    </message>
    <message>
        <source>Estimated weights: %1 at %2 → %3 with these settings (%4× smaller; %5 of %6 weights compressed).</source>
        <translation>估计权重：%2 下为 %1 → 使用这些设置为 %3（缩小 %4 倍；%6 个权重中压缩了 %5 个）。</translation>
    </message>
    <message>
        <source>Op type</source>
        <translation>算子类型</translation>
    </message>
    <message>
        <source>Op name</source>
        <translation>算子名称</translation>
    </message>
</context>
<context>
    <name>cms::ui::ReportsController</name>
    <message numerus="yes">
        <source>Keep %n op(s) in fp32</source>
        <translation>
            <numerusform>将 %n 个算子保持 fp32</numerusform>
        </translation>
    </message>
    <message>
        <source>The reports of the last conversion are still being prepared; try again in a moment.</source>
        <translation>上次转换的报告仍在准备中；请稍后再试。</translation>
    </message>
    <message>
        <source>Apply recommended compression</source>
        <translation>应用推荐的压缩</translation>
    </message>
</context>
<context>
    <name>cms::ui::ResultsPanel</name>
    <message>
        <source>Show ML Program</source>
        <translation>显示 ML Program</translation>
    </message>
    <message>
        <source>Open Folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>MIL op</source>
        <translation>MIL 算子</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>数量</translation>
    </message>
    <message>
        <source>Ops by type (constants excluded)</source>
        <translation>按类型统计的算子（不含常量）</translation>
    </message>
    <message>
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <source>No conversion yet. The package, its ops and any warnings appear here when one finishes.</source>
        <translation>尚未转换。转换完成后，这里会显示包、其算子和所有警告。</translation>
    </message>
    <message>
        <source>%1 %2 s</source>
        <translation>%1 %2 秒</translation>
    </message>
    <message numerus="yes">
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 &amp;nbsp;·&amp;nbsp; %n op(s) &amp;nbsp;·&amp;nbsp; %3 warning(s)&lt;br&gt;&lt;span style=&apos;color:%5&apos;&gt;%4&lt;/span&gt;</source>
        <translation>
            <numerusform>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;%2 &amp;nbsp;·&amp;nbsp; %n 个算子 &amp;nbsp;·&amp;nbsp; %3 个警告&lt;br&gt;&lt;span style=&apos;color:%5&apos;&gt;%4&lt;/span&gt;</numerusform>
        </translation>
    </message>
    <message>
        <source>No warnings.</source>
        <translation>没有警告。</translation>
    </message>
</context>
<context>
    <name>cms::ui::ReviewController</name>
    <message>
        <source>Unsupported Ops</source>
        <translation>不支持的算子</translation>
    </message>
    <message>
        <source>Checklist</source>
        <translation>检查清单</translation>
    </message>
    <message>
        <source>Swift</source>
        <translation>Swift</translation>
    </message>
    <message>
        <source>Re&amp;view</source>
        <translation>审查(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Unsupported Ops</source>
        <translation>不支持的算子(&amp;U)</translation>
    </message>
    <message>
        <source>Production &amp;Checklist</source>
        <translation>上线检查清单(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Swift Code</source>
        <translation>Swift 代码(&amp;S)</translation>
    </message>
    <message>
        <source>Export Report as &amp;HTML…</source>
        <translation>将报告导出为 HTML(&amp;H)…</translation>
    </message>
    <message>
        <source>Export Report as &amp;PDF…</source>
        <translation>将报告导出为 PDF(&amp;P)…</translation>
    </message>
    <message>
        <source>Fix in the Model&apos;s Export</source>
        <translation>在导出模型时修复</translation>
    </message>
    <message>
        <source>This is fixed where the model is exported, not in the studio: %1.</source>
        <translation>此问题需在导出模型时修复，而不是在本程序中：%1。</translation>
    </message>
    <message>
        <source>Use composites %1</source>
        <translation>使用组合定义 %1</translation>
    </message>
    <message>
        <source>Exported the report to %1</source>
        <translation>已将报告导出到 %1</translation>
    </message>
    <message>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <source>HTML (*.html)</source>
        <translation>HTML (*.html)</translation>
    </message>
    <message>
        <source>Export Report</source>
        <translation>导出报告</translation>
    </message>
</context>
<context>
    <name>cms::ui::SensitivityView</name>
    <message>
        <source>Analyse Sensitivity</source>
        <translation>分析敏感度</translation>
    </message>
    <message>
        <source>Apply Recommended Settings to the Quantization Table</source>
        <translation>将推荐设置应用到量化表</translation>
    </message>
    <message>
        <source> dB</source>
        <translation> dB</translation>
    </message>
    <message>
        <source>The smallest signal-to-noise ratio the whole model should keep; 35 dB is a common choice</source>
        <translation>整个模型应保持的最低信噪比；常用 35 dB</translation>
    </message>
    <message>
        <source>Compresses each layer alone with each setting and measures the model&apos;s output (needs a package for iOS16 or later, converted without compression)</source>
        <translation>依次只压缩某一层并尝试每种设置，测量模型的输出（需要面向 iOS16 或更高版本、未经压缩转换的包）</translation>
    </message>
    <message>
        <source>Sets the recommended per-layer compression in the Quantization tab (undoable); Convert then applies it</source>
        <translation>在“量化”选项卡中设置推荐的逐层压缩（可撤销）；之后“转换”会应用它</translation>
    </message>
    <message>
        <source>Model output signal-to-noise with one layer compressed (higher: less sensitive)</source>
        <translation>仅压缩一层时模型输出的信噪比（越高越不敏感）</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <source>Analysing: each layer is compressed with each setting and the model run again…</source>
        <translation>正在分析：对每一层尝试每种压缩设置并重新运行模型…</translation>
    </message>
    <message>
        <source>The analysis could not run: %1</source>
        <translation>无法运行分析：%1</translation>
    </message>
    <message>
        <source>No conversion yet. Convert (for iOS16 or later, without compression), then analyse which layers tolerate compression.</source>
        <translation>尚未转换。请先转换（面向 iOS16 或更高版本，不压缩），再分析哪些层能承受压缩。</translation>
    </message>
    <message>
        <source>Analyse the package of %1 to see how much each layer&apos;s compression costs in accuracy, and a per-layer setting that keeps the model above the target.</source>
        <translation>分析 %1 的包，查看压缩每一层会损失多少精度，并得到使模型保持在目标之上的逐层设置。</translation>
    </message>
    <message>
        <source>%1 everywhere: %2, %3</source>
        <translation>全部使用 %1：%2，%3</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommended mix: %1 → %2&lt;/b&gt;, measured %3 (target %4) — %5.&lt;br&gt;For comparison: %6.</source>
        <translation>&lt;b&gt;推荐组合：%1 → %2&lt;/b&gt;，实测 %3（目标 %4）— %5。&lt;br&gt;作为对比：%6。</translation>
    </message>
    <message>
        <source>meets the target</source>
        <translation>达到目标</translation>
    </message>
    <message>
        <source>does not meet the target</source>
        <translation>未达到目标</translation>
    </message>
    <message>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>%1 (dB)</source>
        <translation>%1 (dB)</translation>
    </message>
    <message>
        <source>Recommended</source>
        <translation>推荐</translation>
    </message>
    <message>
        <source>n/a</source>
        <translation>不适用</translation>
    </message>
    <message>
        <source>keep uncompressed</source>
        <translation>保持不压缩</translation>
    </message>
    <message>
        <source>Compression sensitivity</source>
        <translation>压缩敏感度</translation>
    </message>
    <message>
        <source>Recommended mix: %1 → %2, measured %3 (target %4).</source>
        <translation>推荐组合：%1 → %2，实测 %3（目标 %4）。</translation>
    </message>
    <message>
        <source>Sensitivity</source>
        <translation>敏感度</translation>
    </message>
</context>
<context>
    <name>cms::ui::ShapeEditor</name>
    <message>
        <source>Add shape</source>
        <translation>添加形状</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Fixed shape</source>
        <translation>固定形状</translation>
    </message>
    <message>
        <source>Ranges per dimension</source>
        <translation>逐维范围</translation>
    </message>
    <message>
        <source>Enumerated shapes</source>
        <translation>枚举形状</translation>
    </message>
    <message>
        <source>Size (default)</source>
        <translation>大小（默认）</translation>
    </message>
    <message>
        <source>Lower</source>
        <translation>降级</translation>
    </message>
    <message>
        <source>Upper</source>
        <translation>上限</translation>
    </message>
    <message>
        <source>Ranges: leave Lower and Upper empty to keep a dimension fixed; an empty Upper is unbounded.</source>
        <translation>范围：下限和上限都留空表示该维度固定；上限留空表示无上限。</translation>
    </message>
    <message>
        <source>Shape (the first is the default)</source>
        <translation>形状（第一个为默认）</translation>
    </message>
    <message>
        <source>Enter a shape for &quot;%1&quot; first.</source>
        <translation>请先为“%1”输入形状。</translation>
    </message>
    <message>
        <source>dimension %1</source>
        <translation>维度 %1</translation>
    </message>
    <message>
        <source>%1: the size must be a positive integer, got &quot;%2&quot;</source>
        <translation>%1：大小必须是正整数，实际为“%2”</translation>
    </message>
    <message>
        <source>%1: bounds must be positive integers (an empty upper bound is unbounded)</source>
        <translation>%1：边界必须是正整数（上限留空表示无上限）</translation>
    </message>
    <message>
        <source>Input &quot;%1&quot;: %2</source>
        <translation>输入“%1”：%2</translation>
    </message>
    <message>
        <source>An enumerated shape is a fixed shape like 1x3x224x224, got &quot;%1&quot;</source>
        <translation>枚举形状必须是固定形状，例如 1x3x224x224，实际为“%1”</translation>
    </message>
</context>
<context>
    <name>cms::ui::SizeReportView</name>
    <message>
        <source>Weight bytes by layer, before and after compression</source>
        <translation>各层权重字节数（压缩前后）</translation>
    </message>
    <message>
        <source>Weight bytes by storage type</source>
        <translation>按存储类型统计的权重字节数</translation>
    </message>
    <message>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Used by</source>
        <translation>使用者</translation>
    </message>
    <message>
        <source>Elements</source>
        <translation>元素数</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>压缩前</translation>
    </message>
    <message>
        <source>After</source>
        <translation>压缩后</translation>
    </message>
    <message>
        <source>Bits per weight</source>
        <translation>每权重位数</translation>
    </message>
    <message>
        <source>Stored as</source>
        <translation>存储为</translation>
    </message>
    <message>
        <source>No conversion yet. The package&apos;s size, layer by layer, appears here after Convert.</source>
        <translation>尚未转换。点击“转换”后，这里会逐层显示包的大小。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Package written: %1&lt;/b&gt; (%2 if every weight were fp32, %3 in fp16).</source>
        <translation>&lt;b&gt;已写入的包：%1&lt;/b&gt;（若全部权重为 fp32 则为 %2，fp16 则为 %3）。</translation>
    </message>
    <message numerus="yes">
        <source>Compression: %n weight(s) from %1 to %2, %3× smaller (%4 bits per weight on average).</source>
        <translation>
            <numerusform>压缩：%n 个权重从 %1 降到 %2，缩小 %3 倍（平均每权重 %4 位）。</numerusform>
        </translation>
    </message>
    <message>
        <source>No weight compression was set: every weight is stored as it was converted. The Quantization tab sets compression.</source>
        <translation>未设置权重压缩：每个权重按转换时的形式存储。可在“量化”选项卡中设置压缩。</translation>
    </message>
    <message>
        <source>Compared with fp32 weights the package is %1× smaller.</source>
        <translation>与 fp32 权重相比，包缩小了 %1 倍。</translation>
    </message>
    <message>
        <source>Package size (kB)</source>
        <translation>包大小 (kB)</translation>
    </message>
    <message>
        <source>All fp32</source>
        <translation>全部 fp32</translation>
    </message>
    <message>
        <source>All fp16</source>
        <translation>全部 fp16</translation>
    </message>
    <message>
        <source>As written</source>
        <translation>实际写入</translation>
    </message>
    <message>
        <source>kB</source>
        <translation>kB</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>Weight bytes of the %1 largest layers, before and after compression</source>
        <translation>最大的 %1 个层的权重字节数（压缩前后）</translation>
    </message>
    <message>
        <source>Before (kB)</source>
        <translation>压缩前 (kB)</translation>
    </message>
    <message>
        <source>After (kB)</source>
        <translation>压缩后 (kB)</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <source>Package, every weight fp32</source>
        <translation>包，全部权重 fp32</translation>
    </message>
    <message>
        <source>Package, every weight fp16</source>
        <translation>包，全部权重 fp16</translation>
    </message>
    <message>
        <source>Package as written</source>
        <translation>实际写入的包</translation>
    </message>
    <message>
        <source>Compressed weights</source>
        <translation>压缩后的权重</translation>
    </message>
    <message>
        <source>%1 → %2 (%3×, %4 bits per weight)</source>
        <translation>%1 → %2（%3 倍，每权重 %4 位）</translation>
    </message>
    <message>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Bytes before</source>
        <translation>压缩前字节数</translation>
    </message>
    <message>
        <source>Bytes after</source>
        <translation>压缩后字节数</translation>
    </message>
    <message>
        <source>Package size by weight precision</source>
        <translation>按权重数值精度统计的包大小</translation>
    </message>
</context>
<context>
    <name>cms::ui::StartPage</name>
    <message>
        <source>&lt;h1&gt;Core ML Conversion Studio&lt;/h1&gt;&lt;p&gt;Convert TorchScript models (.pt, .pth, .ts) to Core ML packages. Drop a model or an .mlpackage folder anywhere on this window, or use File › Open.&lt;/p&gt;</source>
        <translation>&lt;h1&gt;Core ML Conversion Studio&lt;/h1&gt;&lt;p&gt;将 TorchScript 模型（.pt、.pth、.ts）转换为 Core ML 包。将模型或 .mlpackage 文件夹拖放到此窗口任意位置，或使用“文件 › 打开”。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Open the demo model</source>
        <translation>打开演示模型</translation>
    </message>
    <message>
        <source>The demo model is missing: %1</source>
        <translation>缺少演示模型：%1</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>打开…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent models and packages&lt;/b&gt;</source>
        <translation>&lt;b&gt;最近的模型和包&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recent projects&lt;/b&gt;</source>
        <translation>&lt;b&gt;最近的项目&lt;/b&gt;</translation>
    </message>
    <message>
        <source>No models opened yet.</source>
        <translation>尚未打开任何模型。</translation>
    </message>
    <message>
        <source>No projects saved yet.</source>
        <translation>尚未保存任何项目。</translation>
    </message>
</context>
<context>
    <name>cms::ui::StatesEditor</name>
    <message>
        <source>Declare them</source>
        <translation>声明它们</translation>
    </message>
    <message>
        <source>Declare the model&apos;s states</source>
        <translation>声明模型的状态</translation>
    </message>
    <message>
        <source>The model writes these buffers in place: %1</source>
        <translation>模型原地写入以下缓冲区：%1</translation>
    </message>
    <message>
        <source>Add state</source>
        <translation>添加状态</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Buffer</source>
        <translation>缓冲区</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <source>Buffers the model writes in place (a KV cache), kept by Core ML between predictions. Name as in the model (k_cache or layers.0.k_cache), shape like 6x1x8x64x64. States need iOS18.</source>
        <translation>模型原地写入的缓冲区（如 KV 缓存），由 Core ML 在多次预测之间保留。名称与模型中一致（k_cache 或 layers.0.k_cache），形状如 6x1x8x64x64。状态需要 iOS18。</translation>
    </message>
    <message>
        <source>State &quot;%1&quot;: %2
What to do: %3</source>
        <translation>状态“%1”：%2
处理办法：%3</translation>
    </message>
    <message>
        <source>State &quot;%1&quot; is listed twice.</source>
        <translation>状态“%1”被列出了两次。</translation>
    </message>
    <message>
        <source>Set state %1</source>
        <translation>设置状态 %1</translation>
    </message>
    <message>
        <source>Remove state %1</source>
        <translation>移除状态 %1</translation>
    </message>
</context>
<context>
    <name>cms::ui::SwiftSnippetView</name>
    <message>
        <source>&amp;Copy</source>
        <translation>复制(&amp;C)</translation>
    </message>
    <message>
        <source>Swift code</source>
        <translation>Swift 代码</translation>
    </message>
    <message>
        <source>Copied to the clipboard.</source>
        <translation>已复制到剪贴板。</translation>
    </message>
    <message>
        <source>Swift code for %1 with its input and output names and types, compute units %2, and a memory-efficient model cache.</source>
        <translation>%1 的 Swift 代码，包含其输入和输出的名称与类型、计算单元 %2，以及节省内存的模型缓存。</translation>
    </message>
    <message>
        <source>Convert the model to get Swift code for the package.</source>
        <translation>转换模型后即可获得该包的 Swift 代码。</translation>
    </message>
</context>
<context>
    <name>cms::ui::UnsupportedReviewPanel</name>
    <message>
        <source>built-in composite</source>
        <translation>内置组合定义</translation>
    </message>
    <message>
        <source>write a composite</source>
        <translation>编写组合定义</translation>
    </message>
    <message>
        <source>change the model</source>
        <translation>修改模型</translation>
    </message>
    <message>
        <source>keep it outside the model</source>
        <translation>放在模型之外</translation>
    </message>
    <message>
        <source>Start from the Op&apos;s Te&amp;mplate</source>
        <translation>从算子模板开始(&amp;M)</translation>
    </message>
    <message>
        <source>Save Composites and &amp;Try Again</source>
        <translation>保存组合定义并重试(&amp;T)</translation>
    </message>
    <message>
        <source>Op or occurrence</source>
        <translation>算子或出现位置</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Input types</source>
        <translation>输入类型</translation>
    </message>
    <message>
        <source>Unsupported ops</source>
        <translation>不支持的算子</translation>
    </message>
    <message>
        <source>Explanation and next steps</source>
        <translation>说明和后续步骤</translation>
    </message>
    <message>
        <source>Composite definition (checked as you type):</source>
        <translation>组合定义（输入时即时检查）：</translation>
    </message>
    <message>
        <source>Surveying the ops of %1 …</source>
        <translation>正在清点 %1 的算子…</translation>
    </message>
    <message>
        <source>The ops could not be surveyed: %1</source>
        <translation>无法清点算子：%1</translation>
    </message>
    <message>
        <source>%1 ×%2</source>
        <translation>%1 ×%2</translation>
    </message>
    <message>
        <source>(top level)</source>
        <translation>（顶层）</translation>
    </message>
    <message>
        <source>Select this node in the graph</source>
        <translation>在图中选中此节点</translation>
    </message>
    <message>
        <source>Every op of %1 converts.</source>
        <translation>%1 的所有算子都能转换。</translation>
    </message>
    <message numerus="yes">
        <source>%1 cannot be converted yet: %n op type(s), %2 occurrence(s). Choose an occurrence to see it in the graph.</source>
        <translation>
            <numerusform>%1 目前无法转换：%n 种算子类型，共出现 %2 次。选择一处即可在图中查看。</numerusform>
        </translation>
    </message>
    <message>
        <source>No unsupported ops have been reported. A conversion that meets one lists it here.</source>
        <translation>尚未报告不支持的算子。转换时遇到的不支持算子会列在这里。</translation>
    </message>
    <message>
        <source>Next steps, best first</source>
        <translation>后续步骤（最佳优先）</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
</TS>
