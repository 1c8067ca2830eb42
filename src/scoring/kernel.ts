/**
 * Loops over rows written out for one plan, and compiled once per distinct source.
 *
 * Why: the loops over a million rows have a shape fixed by the plan (which columns make which group, which
 * chunks an index reads, where each table starts). Written generically, every row loads those offsets from
 * arrays and runs inner loops of 1 to 3 turns, which V8 can neither hoist nor unroll; the same loop with the
 * plan's numbers written in runs several times faster (the README's "How it is fast" has the measurements).
 * Each kernel's meaning is documented, as plain code, where its source is built; `kernelSources` (kernel-sources.ts)
 * prints what a plan compiles, and `reference.ts` computes the same figures without compiling anything.
 *
 * Kernel source is made only by the `js` tag: literal text written in this module's callers, integers,
 * doubles through `real`, and other fragments made by `js`. Anything else (a string, an object, a number
 * that is not what its place expects) is refused by the types and, at run time, by the tag itself: no text
 * from a request, a file or an instrument definition can reach `new Function`.
 */

let fragment: (text: string) => Js
let textOf: (value: unknown) => string | undefined

/** A piece of kernel source, made only by the `js` tag (or `real`, `join`). */
export class Js {
  readonly #text: string
  private constructor(text: string) {
    this.#text = text
  }
  static {
    fragment = (text) => new Js(text)
    // Made by this module, not merely dressed as a Js (Object.create(Js.prototype) has no #text).
    textOf = (value) =>
      typeof value === 'object' && value !== null && #text in value ? (value as Js).#text : undefined
  }
  toString(): string {
    return this.#text
  }
}

/** What `js` accepts between its literal parts: integers (as `int` checked them) and fragments. */
export type Hole = number | Js

/** The tagged template for kernel source: js`for (let i = 0; i < ${n}; i++) ${body}`. */
export function js(strings: TemplateStringsArray, ...holes: readonly Hole[]): Js {
  if (!Object.isFrozen(strings) || !Array.isArray(strings.raw)) throw new TypeError('kernel source: js is a tag')
  let text = strings[0]
  for (let i = 0; i < holes.length; i++) text += holeText(holes[i]) + strings[i + 1]
  return fragment(text)
}

function holeText(hole: unknown): string {
  const text = textOf(hole)
  if (text !== undefined) return text
  if (typeof hole === 'number') {
    if (!Number.isSafeInteger(hole)) throw new Error(`kernel source: ${hole} is not an integer`)
    return String(hole)
  }
  throw new TypeError(`kernel source: a ${typeof hole} is neither an integer nor a fragment made by js`)
}

/** A finite number for a kernel's source, written so that it reads back as the same double. */
export function real(x: number): Js {
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`kernel source: ${x} is not finite`)
  return fragment(`(${String(x)})`)
}

/** The fragments one after the other, `separator` between them. */
export function join(parts: readonly Js[], separator: Js): Js {
  return parts.length === 0 ? js`` : parts.reduce((all, part) => js`${all}${separator}${part}`)
}

/** A kernel as it is compiled: `function name(...params) { 'use strict' body }`. */
export interface KernelSource {
  /** What it computes, for people reading the printed sources. */
  readonly name: string
  readonly params: readonly string[]
  readonly body: Js
}

/** Whether this process may compile source: `node --disallow-code-generation-from-strings` forbids it. */
export const codeGeneration: boolean = (() => {
  try {
    new Function('')
    return true
  } catch {
    return false
  }
})()

// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
const compiled = new Map<string, Function>()
/** Kernels kept: a server scores many campaigns, each plan a handful of kernels. */
const KEPT = 256
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

export function kernel<F>({ params, body }: KernelSource): F {
  const key = `${params.join()}\n${body}`
  let f = compiled.get(key)
  if (f === undefined) {
    for (const p of params) if (!IDENTIFIER.test(p)) throw new Error(`kernel source: ${p} is not a parameter name`)
    if (compiled.size >= KEPT) compiled.clear()
    f = new Function(...params, `'use strict'\n${body}`)
    compiled.set(key, f)
  }
  return f as F
}

/** A kernel's source as `new Function` compiles it, named. */
export const kernelText = ({ name, params, body }: KernelSource): string =>
  `// ${name}\nfunction (${params.join(', ')}) {\n'use strict'\n${body}\n}\n`
