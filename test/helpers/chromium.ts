import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import { PNG } from 'pngjs'

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) => existsSync(path))

// As the machine's notes advise: no sandbox as root, no background networking on a closed network.
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars'
]

/**
 * Renders a URL in headless Chromium: its DOM after load, and a screenshot decoded as PNG. Asynchronous, so
 * that a server in the same process can answer Chromium meanwhile.
 */
export async function render(url: string, size = '1200,2400'): Promise<{ dom: string; png: PNG }> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)')
  const dir = mkdtempSync(join(tmpdir(), 'sipas-chromium-'))
  const run = async (args: string[]) =>
    (
      await promisify(execFile)(CHROMIUM, [...FLAGS, `--user-data-dir=${join(dir, 'profile')}`, ...args, url], {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 16 * 1024 * 1024
      })
    ).stdout
  const dom = await run(['--dump-dom'])
  const file = join(dir, 'page.png')
  await run([`--screenshot=${file}`, `--window-size=${size}`])
  return { dom, png: PNG.sync.read(readFileSync(file)) }
}

/** Prints a URL to PDF in headless Chromium (A4 by the page's CSS, no header or footer of the browser's own). */
export async function printToPdf(url: string): Promise<Buffer> {
  if (!CHROMIUM) throw new Error('chromium is not installed (apt-get install chromium)')
  const dir = mkdtempSync(join(tmpdir(), 'sipas-chromium-'))
  const file = join(dir, 'page.pdf')
  await promisify(execFile)(
    CHROMIUM,
    [...FLAGS, `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${file}`, url],
    { timeout: 60_000 }
  )
  return readFileSync(file)
}

/**
 * A PDF's page count, and how many of its content streams paint in `colour` (an `r g b rg` fill operator as
 * Chromium writes it, e.g. /\.7843 \.1176 \.1176 rg/): Chromium writes one content stream per page, so a
 * colour used only by something fixed on the page is on every page when both counts agree.
 */
export function pdfPagesPainting(pdf: Buffer, colour: RegExp): { pages: number; painting: number } {
  const text = pdf.toString('latin1')
  const pages = (text.match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length
  let painting = 0
  for (const match of text.matchAll(/stream\r?\n/g)) {
    const start = match.index + match[0].length
    let body: string
    try {
      body = inflateSync(pdf.subarray(start, text.indexOf('endstream', start))).toString('latin1')
    } catch {
      continue // not a compressed stream (or not a stream at all: the word inside another one)
    }
    if (colour.test(body)) painting++
  }
  return { pages, painting }
}

/** The share of pixels that are not (near) white. */
export function inkShare(png: PNG): number {
  let ink = 0
  for (let i = 0; i < png.data.length; i += 4)
    if (png.data[i] < 235 || png.data[i + 1] < 235 || png.data[i + 2] < 235) ink++
  return ink / (png.width * png.height)
}
