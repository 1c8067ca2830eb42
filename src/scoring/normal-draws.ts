/**
 * A seeded stream of standard normal draws, so that figures whose critical values are simulated (rank sets)
 * come out the same on every machine and every run: xoshiro128** (Blackman & Vigna, 2018) seeded through
 * splitmix32, and the Box–Muller transform. The integer steps are exact 32-bit arithmetic (Math.imul, >>>),
 * and Node's Math.log, Math.sqrt and Math.cos/sin are the same fdlibm ports on every platform, so a seed gives
 * the same draws bit for bit under a given Node version. Not for anything cryptographic.
 */
export function normalDraws(seed: number): () => number {
  let sm = seed | 0
  const splitmix32 = () => {
    sm = (sm + 0x9e3779b9) | 0
    let z = Math.imul(sm ^ (sm >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) | 0
  }
  let s0 = splitmix32()
  let s1 = splitmix32()
  let s2 = splitmix32()
  let s3 = splitmix32()
  const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k))
  const next = () => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 11)
    return result
  }
  // (x + 0.5) / 2³² lies strictly inside (0, 1), so the logarithm below is finite.
  const uniform = () => (next() + 0.5) / 4294967296
  let spare = Number.NaN
  return () => {
    if (!Number.isNaN(spare)) {
      const z = spare
      spare = Number.NaN
      return z
    }
    const radius = Math.sqrt(-2 * Math.log(uniform()))
    const angle = 2 * Math.PI * uniform()
    spare = radius * Math.sin(angle)
    return radius * Math.cos(angle)
  }
}
