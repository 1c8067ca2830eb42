import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { Config } from '../config.js'

/** Seals personal data (names, phone numbers, e-mail) with AES-256-GCM, bound to the record it belongs to. */
export interface Sealer {
  seal: (recordId: string, value: unknown) => Buffer
  open: <T>(recordId: string, sealed: Buffer) => T
}

export function sealer(key: Buffer): Sealer {
  return {
    seal(recordId, value) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(recordId))
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    open(recordId, sealed) {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12))
      decipher.setAAD(Buffer.from(recordId))
      decipher.setAuthTag(sealed.subarray(12, 28))
      return JSON.parse(Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]).toString('utf8'))
    }
  }
}

/**
 * The key comes from PERSONAL_DATA_KEY (required on a server database). The embedded database keeps a
 * generated key in its data folder, so a newcomer's local data stays readable across restarts.
 */
export async function personalDataKey(config: Config): Promise<Buffer> {
  if (config.personalDataKey) return Buffer.from(config.personalDataKey, 'hex')
  if (config.dataDir.startsWith('memory://')) return randomBytes(32)
  const path = join(resolve(config.dataDir), 'personal-data.key')
  try {
    return Buffer.from((await readFile(path, 'utf8')).trim(), 'hex')
  } catch {
    const key = randomBytes(32)
    await writeFile(path, key.toString('hex'), { mode: 0o600, flag: 'wx' })
    return key
  }
}
