import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

/** The share of pixels that are not (near) white. */
export function inkShare(png: PNG): number {
  let ink = 0
  for (let i = 0; i < png.data.length; i += 4)
    if (png.data[i] < 235 || png.data[i + 1] < 235 || png.data[i + 2] < 235) ink++
  return ink / (png.width * png.height)
}
