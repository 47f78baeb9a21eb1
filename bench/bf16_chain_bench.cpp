// What would bfloat16 activations between layers save in a ResNet-32 bf16 training step?
//
// Today (`precision: bf16`) every convolution reads float32 activations through a rounding copy
// (input forward, output gradient backward) and batch norm, the residual add and their backward
// passes run in float32. A "bf16 chain" inside each residual block would instead have conv1 and
// conv2 write bf16, batch norm read and write bf16, and conv2 read bn1's bf16 output directly,
// leaving two rounding copies per block (conv1's input, bn2's output gradient) and the residual
// stream in float32 (add: float32 skip + bf16 branch -> float32).
//
// This program times those element-wise pieces with Debian's oneDNN for the three ResNet-32
// activation shapes at batch 128 (each call after evicting the caches, as in a real step where
// the working set is far larger than L3) and prints the per-step cost of both variants. It also
// shows which mixed-type binary adds oneDNN 2.6 runs with a jit kernel and which fall back to
// its slow reference (`ref:any`) implementation.
//
//   g++ -O2 -std=c++17 bench/bf16_chain_bench.cpp -ldnnl -o /tmp/bf16_chain_bench
//   OMP_NUM_THREADS=2 /tmp/bf16_chain_bench
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <vector>

using namespace dnnl;
using tag = memory::format_tag;
using dt = memory::data_type;

static engine cpu(engine::kind::cpu, 0);
static stream queue(cpu);
static std::vector<char> evictionBuffer(256 << 20);

/// Median wall time (ms) of `run` over 21 calls, each after writing a buffer larger than L3.
template <class F> static double medianMs(F run) {
    run();
    std::vector<double> times;
    for (int i = 0; i < 21; i++) {
        std::memset(evictionBuffer.data(), i, evictionBuffer.size());
        auto start = std::chrono::steady_clock::now();
        run();
        queue.wait();
        times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

static memory filled(const memory::desc &md, int byte) {
    memory m(md, cpu);
    std::memset(m.get_data_handle(), byte, md.get_size());
    return m;
}

struct Pass { double forward, backward; };

/// Training-mode batch norm (scale, shift, optionally fused ReLU) forward and backward, in `type`.
static Pass batchNorm(const memory::dims &dims, dt type, bool relu) {
    memory::desc md(dims, type, tag::nChw16c), channel({dims[1]}, dt::f32, tag::a);
    auto flags = normalization_flags::use_scale | normalization_flags::use_shift;
    if (relu) flags |= normalization_flags::fuse_norm_relu;
    batch_normalization_forward::primitive_desc fpd({prop_kind::forward_training, md, 1e-5f, flags}, cpu);
    batch_normalization_backward::primitive_desc bpd({prop_kind::backward, md, md, 1e-5f, flags}, cpu, fpd);
    // 0x3c bytes: about 0.0115 as float32 and as bfloat16.
    memory src = filled(md, 0x3c), diffDst = filled(md, 0x3c), dst(md, cpu), diffSrc(md, cpu);
    memory scale = filled(channel, 0x3c), shift = filled(channel, 0), mean(channel, cpu), variance(channel, cpu);
    memory diffScale(channel, cpu), diffShift(channel, cpu), workspace(fpd.workspace_desc(), cpu);
    std::unordered_map<int, memory> forwardArgs{{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}, {DNNL_ARG_SCALE, scale},
                                                {DNNL_ARG_SHIFT, shift}, {DNNL_ARG_MEAN, mean}, {DNNL_ARG_VARIANCE, variance}};
    std::unordered_map<int, memory> backwardArgs{{DNNL_ARG_SRC, src}, {DNNL_ARG_DIFF_DST, diffDst}, {DNNL_ARG_SCALE, scale},
                                                 {DNNL_ARG_SHIFT, shift}, {DNNL_ARG_MEAN, mean}, {DNNL_ARG_VARIANCE, variance},
                                                 {DNNL_ARG_DIFF_SRC, diffSrc}, {DNNL_ARG_DIFF_SCALE, diffScale},
                                                 {DNNL_ARG_DIFF_SHIFT, diffShift}};
    if (relu) forwardArgs[DNNL_ARG_WORKSPACE] = backwardArgs[DNNL_ARG_WORKSPACE] = workspace;
    batch_normalization_forward forward(fpd);
    batch_normalization_backward backward(bpd);
    return {medianMs([&] { forward.execute(queue, forwardArgs); }), medianMs([&] { backward.execute(queue, backwardArgs); })};
}

/// float32 -> bfloat16 rounding copy of one activation (what a bf16 convolution does to its operands today).
static double roundingCopy(const memory::dims &dims) {
    memory from = filled({dims, dt::f32, tag::nChw16c}, 0x3c), to({dims, dt::bf16, tag::nChw16c}, cpu);
    reorder copy(from, to);
    return medianMs([&] { copy.execute(queue, from, to); });
}

/// Residual add with ReLU post-op, src0 + src1 -> dst in the given types; prints the kernel when types mix.
static double addReLU(const memory::dims &dims, dt a, dt b, dt out) {
    memory::desc ma(dims, a, tag::nChw16c), mb(dims, b, tag::nChw16c), mo(dims, out, tag::nChw16c);
    post_ops ops;
    ops.append_eltwise(1.f, algorithm::eltwise_relu, 0.f, 0.f);
    primitive_attr attributes;
    attributes.set_post_ops(ops);
    binary::primitive_desc pd({algorithm::binary_add, ma, mb, mo}, attributes, cpu);
    memory x = filled(ma, 0x3c), y = filled(mb, 0x3c), z(mo, cpu);
    binary add(pd);
    return medianMs([&] { add.execute(queue, {{DNNL_ARG_SRC_0, x}, {DNNL_ARG_SRC_1, y}, {DNNL_ARG_DST, z}}); });
}

int main() {
    // ResNet-32 per step: per shape, the batch norms without / with fused ReLU, the convolutions
    // and the residual blocks (stage 1 also holds the stem's convolution and batch norm + ReLU).
    struct Stage { int channels, side, plainNorms, reluNorms, convolutions, blocks; };
    const Stage stages[] = {{16, 32, 5, 6, 11, 5}, {32, 16, 5, 5, 10, 5}, {64, 8, 5, 5, 10, 5}};
    double todayTotal = 0, chainTotal = 0, copiesTotal = 0;
    for (const auto &s : stages) {
        memory::dims dims{128, s.channels, s.side, s.side};
        Pass f32 = batchNorm(dims, dt::f32, false), f32ReLU = batchNorm(dims, dt::f32, true);
        Pass bf16 = batchNorm(dims, dt::bf16, false), bf16ReLU = batchNorm(dims, dt::bf16, true);
        double copy = roundingCopy(dims);
        double addF32 = addReLU(dims, dt::f32, dt::f32, dt::f32), addMixed = addReLU(dims, dt::f32, dt::bf16, dt::f32);
        double addSlow = addReLU(dims, dt::bf16, dt::f32, dt::f32);
        printf("%d channels %dx%d, batch 128 (medians, ms)\n", s.channels, s.side, s.side);
        printf("  batch norm f32: forward %.3f backward %.3f; + ReLU %.3f / %.3f\n", f32.forward, f32.backward,
               f32ReLU.forward, f32ReLU.backward);
        printf("  batch norm bf16: forward %.3f backward %.3f; + ReLU %.3f / %.3f\n", bf16.forward, bf16.backward,
               bf16ReLU.forward, bf16ReLU.backward);
        printf("  rounding copy f32->bf16 %.3f; add+ReLU f32+f32->f32 %.3f, f32+bf16->f32 %.3f (bf16+f32->f32: %.3f)\n",
               copy, addF32, addMixed, addSlow);
        double copies = s.convolutions * 2 * copy;
        double today = s.plainNorms * (f32.forward + f32.backward) + s.reluNorms * (f32ReLU.forward + f32ReLU.backward) +
                       copies + s.blocks * addF32;
        double chain = s.plainNorms * (bf16.forward + bf16.backward) + s.reluNorms * (bf16ReLU.forward + bf16ReLU.backward) +
                       s.blocks * 2 * copy + s.blocks * addMixed;
        printf("  per step: today %.2f ms, bf16 chain %.2f ms\n", today, chain);
        todayTotal += today;
        chainTotal += chain;
        copiesTotal += copies;
    }
    printf("per training step: today %.2f ms (rounding copies %.2f), bf16 chain %.2f ms, saving %.2f ms\n", todayTotal,
           copiesTotal, chainTotal, todayTotal - chainTotal);
}
