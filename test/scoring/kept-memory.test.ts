import t from 'tap'
import { KeptMemory } from '../../src/scoring/kept-memory.js'

t.test('kept memory: zeroed, at least the bytes asked, never handed out twice before it is released', async (t) => {
  const memory = new KeptMemory(1 << 20)
  const a = memory.room(1000)
  const b = memory.room(1000)
  t.ok(a.byteLength >= 1000 && b.byteLength >= 1000, 'at least the bytes asked')
  t.not(a, b, 'two rooms in use are two buffers')
  new Uint8Array(a).fill(7)
  new Uint8Array(b).fill(9)
  memory.release()
  // The smallest free buffer that holds the bytes, its first bytes zeroed: the last computation's counts are gone.
  const c = memory.room(600)
  t.ok(c === a || c === b, 'a released buffer serves the next room')
  t.ok(
    new Uint8Array(c, 0, 600).every((x) => x === 0),
    'zeroed where the new arrays lie'
  )
  const d = memory.room(1000)
  t.ok(d !== c && (d === a || d === b), 'the other one, still free')
  const e = memory.room(2000)
  t.ok(e !== a && e !== b && e.byteLength >= 2000, 'none free holds it: a new one')
  memory.release()
  t.equal(memory.room(2000), e, 'the new one is kept too')
})

t.test('kept memory lets the smallest buffers go beyond its limit', async (t) => {
  const memory = new KeptMemory(3000)
  const small = memory.room(1000)
  const large = memory.room(2000)
  memory.release()
  t.equal(memory.room(1), large, 'the largest kept first (within the limit: 2,500 bytes with its headroom)')
  t.not(memory.room(1), small, 'the smallest let go: over the limit with the largest')
})

t.test('kept memory releases what a piece of work took, whether it answers or throws', async (t) => {
  const memory = new KeptMemory(1 << 20)
  let taken: ArrayBufferLike | undefined
  t.equal(
    memory.during(() => (taken = memory.room(100)).byteLength),
    125
  )
  t.equal(memory.room(100), taken, 'free again after an answer')
  memory.release()
  t.throws(() =>
    memory.during(() => {
      taken = memory.room(50)
      throw new Error('the work failed')
    })
  )
  t.equal(memory.room(100), taken, 'free again after a throw')
})
