/// The arithmetic a convolution runs in.
///
/// `bf16` is mixed precision as PyTorch's CPU autocast does it for convolutions: the input,
/// weights and incoming gradient are rounded to bfloat16 (8-bit mantissa, float32's 8-bit
/// exponent) for the three convolution passes, which accumulate in float32 and return float32
/// outputs and weight gradients. Master weights, optimiser state, batch norm, losses and every
/// other op stay float32. No loss scaling is needed: bfloat16 has float32's exponent range, so
/// the small gradients that underflow in fp16 are representable (only their precision drops).
public enum Precision: String, ListedChoice, Sendable {
    case fp32
    case bf16
}
