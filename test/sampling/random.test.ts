import t from 'tap'
import { murmur3, RandomStream, SamplingError, streamFor } from '../../src/sampling/index.js'

const bytes = (text: string) => new TextEncoder().encode(text)

t.test('MurmurHash3_x86_32 matches published test vectors', async (t) => {
  // From the reference SMHasher tests as collected by mmh3 and Ian Boyd (stackoverflow.com/a/31929528).
  const vectors: Array<[string, number, number]> = [
    ['', 0, 0],
    ['', 0xffffffff, 0x81f16f39],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['aa', 0x9747b28c, 0x5d211726],
    ['aaa', 0x9747b28c, 0x283e0130],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['abc', 0, 0xb3dd93fa],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    ['a'.repeat(256), 0x9747b28c, 0x37405bdc]
  ]
  for (const [text, seed, expected] of vectors)
    t.equal(murmur3(bytes(text), seed), expected, `"${text.slice(0, 12)}" seed ${seed}`)
})

t.test('xoshiro128** matches the reference implementation from state {1, 2, 3, 4}', async (t) => {
  // xoshiro128starstar.c 1.1, as in rand_xoshiro's test.
  const stream = new RandomStream([1, 2, 3, 4])
  t.same(
    Array.from({ length: 10 }, () => stream.nextUint32()),
    [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]
  )
  t.throws(() => new RandomStream([0, 0, 0, 0]), SamplingError)
})

t.test('nextDouble takes 27 + 26 bits of two outputs', async (t) => {
  const stream = new RandomStream([1, 2, 3, 4])
  t.equal(stream.nextDouble(), ((11520 >>> 5) * 2 ** 26 + (0 >>> 6)) / 2 ** 53)
  t.equal(stream.nextDouble(), ((5927040 >>> 5) * 2 ** 26 + (70819200 >>> 6)) / 2 ** 53)
  const many = streamFor('s', 'k')
  for (let i = 0; i < 10_000; i++) {
    const u = many.nextDouble()
    if (!(u >= 0 && u < 1)) t.fail(`${u} outside [0, 1)`)
  }
})

t.test('nextBelow rejects the outputs that would bias x mod bound', async (t) => {
  // bound = 3·2^30: (2^32 − bound) mod bound = 2^30, so the first four outputs (all < 2^30) are rejected.
  const stream = new RandomStream([1, 2, 3, 4])
  t.equal(stream.nextBelow(3 * 2 ** 30), 2031721883)
  t.equal(stream.nextUint32(), 1637235492, 'exactly five outputs were used')
  const small = new RandomStream([1, 2, 3, 4])
  t.equal(small.nextBelow(10), 11520 % 10, 'a small bound rejects only x < 6 (2^32 mod 10)')
  t.equal(new RandomStream([1, 2, 3, 4]).nextBelow(2 ** 32), 11520)
  t.equal(new RandomStream([1, 2, 3, 4]).nextBelow(1), 0)
  t.throws(() => small.nextBelow(0), { code: 'INVALID_PARAMETER', parameter: 'bound' })
  t.throws(() => small.nextBelow(2 ** 32 + 1), { code: 'INVALID_PARAMETER', parameter: 'bound' })
})

t.test('nextBelow is uniform (chi-square, 6 cells)', async (t) => {
  const stream = streamFor('uniformity', 'x')
  const counts = new Array<number>(6).fill(0)
  const draws = 60_000
  for (let i = 0; i < draws; i++) counts[stream.nextBelow(6)]++
  const chi2 = counts.reduce((s, c) => s + (c - draws / 6) ** 2 / (draws / 6), 0)
  t.ok(chi2 < 20.5, `χ² = ${chi2.toFixed(2)} below the 0.999 quantile of χ²₅`)
})

// Pinned: a change of hash, byte layout or generator changes it. Cross-checked against an independent
// Python implementation of README.md's rules.
const GOLDEN_STREAM = [4171746063, 2250940076, 4034575970]

t.test('streams: fixed by (seed, stratum), distinct otherwise, unambiguous', async (t) => {
  const first = (seed: string, stratum: string) => {
    const s = streamFor(seed, stratum)
    return [s.nextUint32(), s.nextUint32(), s.nextUint32()]
  }
  t.same(first('SIPAS-2025', 'HN-001'), first('SIPAS-2025', 'HN-001'))
  t.same(first('SIPAS-2025', 'HN-001'), GOLDEN_STREAM)
  t.notSame(first('SIPAS-2025', 'HN-001'), first('SIPAS-2025', 'HN-002'))
  t.notSame(first('SIPAS-2025', 'HN-001'), first('SIPAS-2026', 'HN-001'))
  t.notSame(first('ab', 'c'), first('a', 'bc'), 'the seed length is part of the hashed bytes')
})
