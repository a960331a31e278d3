using System.Runtime.InteropServices;
using Linen.Prng;
using TorchSharp;
using static TorchSharp.torch;

namespace Linen.Functional;

/// <summary>
/// The <see cref="Sample"/> samplers returning TorchSharp tensors of a shape. Small draws, and all draws on the CPU,
/// run the vectorised C# path and copy the result; large draws on another device compute threefry there on int32
/// tensors. Both paths give the same bits (see <see cref="OnDevice"/>).
/// </summary>
public static class TensorSample
{
    /// <summary>Draws of at least this many elements on a non-CPU device are computed on the device.</summary>
    internal const long DevicePathThreshold = 1 << 20;

    /// <summary>Random 32-bit words as an int32 tensor holding the uint32 bit patterns (TorchSharp has no uint32), as <c>jax.random.bits</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The shape; no negative dimensions.</param>
    /// <param name="device">Where the tensor lives; the CPU when null.</param>
    /// <returns>An int32 tensor of <paramref name="shape"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static Tensor Bits(PrngKey key, long[] shape, Device? device = null)
    {
        int count = CheckedCount(shape);
        if (UseDevicePath(count, device))
        {
            return OnDevice.Bits(key, count, device!).reshape(shape);
        }

        var words = Sample.Bits(key, count);
        return torch.tensor(MemoryMarshal.Cast<uint, int>(words.AsSpan()).ToArray(), shape, device: device);
    }

    /// <summary>Uniform float32 values in <c>[minval, maxval)</c>, as <c>jax.random.uniform</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The shape; no negative dimensions.</param>
    /// <param name="minval">Inclusive lower bound.</param>
    /// <param name="maxval">Exclusive upper bound; greater than <paramref name="minval"/>.</param>
    /// <param name="device">Where the tensor lives; the CPU when null.</param>
    /// <returns>A float32 tensor of <paramref name="shape"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The shape is invalid or <paramref name="minval"/> is not below <paramref name="maxval"/>.</exception>
    public static Tensor Uniform(PrngKey key, long[] shape, float minval = 0f, float maxval = 1f, Device? device = null)
    {
        int count = CheckedCount(shape);
        if (UseDevicePath(count, device))
        {
            _ = Sample.Uniform(key, 0, minval, maxval); // same argument checks as the array path
            return OnDevice.Uniform(key, count, minval, maxval, device!).reshape(shape);
        }

        return torch.tensor(Sample.Uniform(key, shape, minval, maxval), shape, device: device);
    }

    /// <summary>Standard normal float32 values, as <c>jax.random.normal</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The shape; no negative dimensions.</param>
    /// <param name="device">Where the tensor lives; the CPU when null.</param>
    /// <returns>A float32 tensor of <paramref name="shape"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shape"/> has a negative dimension or too many elements.</exception>
    public static Tensor Normal(PrngKey key, long[] shape, Device? device = null)
    {
        int count = CheckedCount(shape);
        if (UseDevicePath(count, device))
        {
            return OnDevice.Normal(key, count, device!).reshape(shape);
        }

        return torch.tensor(Sample.Normal(key, shape), shape, device: device);
    }

    /// <summary>Normal values truncated to <c>(lower, upper)</c>, as <c>jax.random.truncated_normal</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The shape; no negative dimensions.</param>
    /// <param name="lower">Lower truncation bound.</param>
    /// <param name="upper">Upper truncation bound; greater than <paramref name="lower"/>.</param>
    /// <param name="device">Where the tensor lives; the CPU when null.</param>
    /// <returns>A float32 tensor of <paramref name="shape"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The shape is invalid or <paramref name="lower"/> is not below <paramref name="upper"/>.</exception>
    public static Tensor TruncatedNormal(PrngKey key, long[] shape, float lower, float upper, Device? device = null)
    {
        int count = CheckedCount(shape);
        if (UseDevicePath(count, device))
        {
            _ = Sample.TruncatedNormal(key, 0, lower, upper);
            return OnDevice.TruncatedNormal(key, count, lower, upper, device!).reshape(shape);
        }

        return torch.tensor(Sample.TruncatedNormal(key, shape, lower, upper), shape, device: device);
    }

    /// <summary>Bernoulli draws as a bool tensor, as <c>jax.random.bernoulli(key, p, shape)</c>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="shape">The shape; no negative dimensions.</param>
    /// <param name="p">Probability of <c>true</c>, in <c>[0, 1]</c>.</param>
    /// <param name="device">Where the tensor lives; the CPU when null.</param>
    /// <returns>A bool tensor of <paramref name="shape"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The shape is invalid or <paramref name="p"/> is outside <c>[0, 1]</c>.</exception>
    public static Tensor Bernoulli(PrngKey key, long[] shape, float p = 0.5f, Device? device = null)
    {
        int count = CheckedCount(shape);
        if (UseDevicePath(count, device))
        {
            _ = Sample.Bernoulli(key, 0, p);
            return OnDevice.Bernoulli(key, count, p, device!).reshape(shape);
        }

        // A tensor's byte span is int-sized: beyond 2 GB of uniforms only the array path works.
        if ((long)count * sizeof(float) > int.MaxValue) return torch.tensor(Sample.Bernoulli(key, shape, p), shape, device: device);
        _ = Sample.Bernoulli(key, 0, p);
        // Sample.Bernoulli's uniforms, written straight into tensor memory and compared there: a dropout mask per layer
        // and step would otherwise allocate two large managed arrays, churning the large-object heap (GCs, page faults).
        using var uniform = torch.empty(shape, ScalarType.Float32);
        Sample.UniformInto(key, MemoryMarshal.Cast<byte, float>(uniform.bytes), 0f, 1f);
        var mask = uniform.Lt(p);
        return device is null || device.type == DeviceType.CPU ? mask : mask.to(device);
    }

    /// <summary>Whether a draw runs on the device: only off the CPU (where the C# path is faster) and only when large.</summary>
    internal static bool UseDevicePath(long count, Device? device) =>
        device is not null && device.type != DeviceType.CPU && count >= DevicePathThreshold;

    private static int CheckedCount(long[] shape) => Prng.ShapeArguments.Count(shape, nameof(shape));

    /// <summary>
    /// Threefry2x32 and the samplers on int32 tensors, on any device. uint32 arithmetic is emulated: addition wraps,
    /// a logical right shift is an arithmetic shift and a mask, and the float steps reproduce the C# path exactly
    /// (an exactly rounded float32 FMA from float64 pieces, and the same double-precision log).
    /// </summary>
    internal static class OnDevice
    {
        internal static Tensor Bits(PrngKey key, int count, Device device) => Chunked(key, count, device, w => w);

        internal static Tensor Uniform(PrngKey key, int count, float minval, float maxval, Device device) =>
            Chunked(key, count, device, w => UniformOf(w, minval, maxval - minval));

        internal static Tensor Bernoulli(PrngKey key, int count, float p, Device device) =>
            Chunked(key, count, device, w => UniformOf(w, 0f, 1f).Lt(p));

        internal static Tensor Normal(PrngKey key, int count, Device device) =>
            Chunked(key, count, device, w => ErfInv(UniformOf(w, Sample.NormalLow, 1f - Sample.NormalLow)).Mul(SpecialMath.Sqrt2));

        internal static Tensor TruncatedNormal(PrngKey key, int count, float lower, float upper, Device device)
        {
            float a = SpecialMath.Erf(lower / SpecialMath.Sqrt2), b = SpecialMath.Erf(upper / SpecialMath.Sqrt2);
            float lo = MathF.BitIncrement(lower), hi = MathF.BitDecrement(upper);
            return Chunked(key, count, device, w => ErfInv(UniformOf(w, a, b - a)).Mul(SpecialMath.Sqrt2).Clamp(lo, hi));
        }

        /// <summary>
        /// Hashes the key's counters in chunks, applies the element-wise <paramref name="transform"/> to each chunk inside
        /// its own dispose scope (so temporaries never exceed one chunk), and concatenates the results in element order.
        /// </summary>
        internal static Tensor Chunked(PrngKey key, int count, Device device, Func<Tensor, Tensor> transform)
        {
            int chunk = device.type == DeviceType.CPU ? 1 << 18 : 1 << 22;
            using var scope = torch.NewDisposeScope();
            var parts = new List<Tensor>();
            if (key.Mode == ThreefryMode.Partitionable)
            {
                for (int s = 0; s < count; s += chunk)
                {
                    using var inner = torch.NewDisposeScope();
                    int len = Math.Min(chunk, count - s);
                    var (y0, y1) = Hash(key, torch.zeros(len, ScalarType.Int32, device), Counters(s, len, device));
                    parts.Add(transform(y0 ^ y1).MoveToOuterDisposeScope());
                }
            }
            else
            {
                // Legacy: pair j hashes (j, h + j); y0 is element j and y1 element h + j. An odd count pads the
                // last pair's second counter with 0 and drops its y1 (the final narrow).
                int h = (count + 1) / 2;
                var seconds = new List<Tensor>();
                for (int j = 0; j < h; j += chunk)
                {
                    using var inner = torch.NewDisposeScope();
                    int len = Math.Min(chunk, h - j);
                    var c1 = Counters(h + j, len, device);
                    if (count % 2 == 1 && j + len == h)
                    {
                        c1[len - 1] = torch.tensor(0, ScalarType.Int32, device);
                    }

                    var (y0, y1) = Hash(key, Counters(j, len, device), c1);
                    parts.Add(transform(y0).MoveToOuterDisposeScope());
                    seconds.Add(transform(y1).MoveToOuterDisposeScope());
                }

                parts.AddRange(seconds);
            }

            var all = parts.Count == 0 ? transform(torch.zeros(0, ScalarType.Int32, device)) : torch.cat(parts);
            return all.narrow(0, 0, count).MoveToOuterDisposeScope();
        }

        /// <summary>The int32 counters <c>start, start + 1, …, start + length − 1</c>.</summary>
        private static Tensor Counters(int start, int length, Device device)
        {
            using var first = start.ToScalar();
            using var end = (start + length).ToScalar();
            using var step = 1.ToScalar();
            return torch.arange(first, end, step, ScalarType.Int32, device);
        }

        /// <summary>Threefry2x32 of int32 counter tensors; the 20 rounds of <see cref="Threefry2x32.Hash(uint, uint, uint, uint)"/>.</summary>
        internal static (Tensor, Tensor) Hash(PrngKey key, Tensor x0, Tensor x1)
        {
            unchecked
            {
                int k0 = (int)key.K0, k1 = (int)key.K1, k2 = (int)(key.K0 ^ key.K1 ^ 0x1BD11BDA);
                int[] ks = [k0, k1, k2];
                x0 = x0.Add(k0);
                x1 = x1.Add(k1);
                int[][] rot = [[13, 15, 26, 6], [17, 29, 16, 24]];
                for (int i = 0; i < 5; i++)
                {
                    foreach (int r in rot[i % 2])
                    {
                        x0 = x0.Add(x1);
                        x1 = Rotl(x1, r) ^ x0;
                    }

                    x0 = x0.Add(ks[(i + 1) % 3]);
                    x1 = x1.Add(ks[(i + 2) % 3] + i + 1);
                }

                return (x0, x1);
            }
        }

        private static Tensor Rotl(Tensor v, int r) =>
            v.bitwise_left_shift(r) | (v.bitwise_right_shift(32 - r) & ((1 << r) - 1));

        /// <summary><c>max(lo, fma(f, range, lo))</c> with <c>f = (bits &gt;&gt;&gt; 9) 2^-23</c>, which equals the C# bit trick exactly.</summary>
        internal static Tensor UniformOf(Tensor words, float lo, float range)
        {
            var f = (words.bitwise_right_shift(9) & 0x7FFFFF).to_type(ScalarType.Float32).Mul(1f / 8388608f);
            return Fma32(f, range, lo).Clamp(min: lo);
        }

        /// <summary>
        /// float32 <c>fma(a, b, c)</c> rounded once, from float64 pieces: the product is exact in double; the sum is
        /// rounded to double, and when that lands exactly on a float32 midpoint the exact error (TwoSum) decides the tie.
        /// </summary>
        internal static Tensor Fma32(Tensor a, Tensor b, Tensor c)
        {
            var p = a.to_type(ScalarType.Float64) * b.to_type(ScalarType.Float64);
            var cd = c.to_type(ScalarType.Float64);
            var s = p.Add(cd);
            var bb = s - p;
            var err = (p - (s - bb)).Add(cd - bb);
            var r = s.to_type(ScalarType.Float32);
            var d = s - r.to_type(ScalarType.Float64);
            var above = d.Gt(0);
            var toward = torch.where(above, torch.tensor(float.PositiveInfinity, device: r.device), torch.tensor(float.NegativeInfinity, device: r.device));
            var nb = r.nextafter(toward);
            var mid = r.to_type(ScalarType.Float64).Add(nb.to_type(ScalarType.Float64)).Mul(0.5);
            var wrong = (s == mid) & err.ne(Scalars.Zero) & (err.Gt(0) == above);
            return torch.where(wrong, nb, r);
        }

        private static Tensor Fma32(Tensor a, float b, float c) =>
            Fma32(a, torch.tensor(b, device: a.device), torch.tensor(c, device: a.device));

        /// <summary><see cref="SpecialMath.ErfInv(float)"/> on a float32 tensor.</summary>
        internal static Tensor ErfInv(Tensor x)
        {
            var t = x * (-x);
            var l = Log(t.to_type(ScalarType.Float64).Add(1.0)).to_type(ScalarType.Float32);
            var w = -torch.where(t.abs().Lt(1.86264515e-09f), t, l);
            var lt = w.Lt(5f);
            var ww = torch.where(lt, w.Sub(2.5f), Sqrt32(w).Sub(3f));
            var lt5 = SpecialMath.Lt5;
            var ge5 = SpecialMath.Ge5;
            Tensor Coeff(int i) => torch.where(lt, torch.tensor(lt5[i], device: x.device), torch.tensor(ge5[i], device: x.device));
            var p = Coeff(0);
            for (int i = 1; i < lt5.Length; i++)
            {
                p = Fma32(p, ww, Coeff(i));
            }

            var r = p * x;
            return torch.where(x.abs().Eq(1f), x.Mul(float.PositiveInfinity), r);
        }

        /// <summary>
        /// Correctly rounded float32 square root. LibTorch's CPU float32 sqrt is not (it was 1 ulp off on 5.2898545),
        /// so take the double root, round it, and step to the neighbour if the input lies beyond a midpoint
        /// (midpoints have at most 26 bits, so their squares are exact in double).
        /// </summary>
        internal static Tensor Sqrt32(Tensor w)
        {
            var wd = w.to_type(ScalarType.Float64);
            var r = wd.sqrt().to_type(ScalarType.Float32);
            var up = r.nextafter(torch.tensor(float.PositiveInfinity, device: w.device));
            var dn = r.nextafter(torch.tensor(float.NegativeInfinity, device: w.device));
            var rd = r.to_type(ScalarType.Float64);
            var midHi = rd.Add(up.to_type(ScalarType.Float64)).Mul(0.5);
            var midLo = rd.Add(dn.to_type(ScalarType.Float64)).Mul(0.5);
            var fixedUp = torch.where(wd > midHi * midHi, up, r);
            return torch.where(wd.Gt(0) & (wd < midLo * midLo), dn, fixedUp);
        }

        /// <summary><see cref="SpecialMath.Log(double)"/> on a float64 tensor, with <c>frexp</c> in place of bit fields.</summary>
        internal static Tensor Log(Tensor y)
        {
            var (mant, exp) = y.frexp(); // y = mant 2^exp, mant in [0.5, 1)
            var halfSqrt2 = BitConverter.UInt64BitsToDouble(0x3FE6A09E667F3BCDUL);
            var big = mant.Gt(halfSqrt2);
            var m = torch.where(big, mant, mant.Mul(2.0));
            var e = torch.where(big, exp, exp.Sub(1)).to_type(ScalarType.Float64);
            var f = m.Sub(1.0);
            var s = f / f.Add(2.0);
            var z = s * s;
            var coeffs = SpecialMath.AtanhCoeffs;
            var p = z.FullLike(coeffs[0]);
            for (int i = 1; i < coeffs.Length; i++)
            {
                p = (p * z).Add(coeffs[i]);
            }

            var hs = s.Add(s);
            var logm = hs.Add(hs * (z * p));
            return e.Mul(SpecialMath.Ln2Hi).Add(e.Mul(SpecialMath.Ln2Lo).Add(logm));
        }
    }
}
