import { readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { DatasetError, LimitExceededError } from '@edgefit/core';
import { MAX_DATASET_FILE_BYTES } from './limits.js';

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Read a dataset file into memory, gunzipping it when it is gzip (by its
 * magic bytes, whatever its name). Size limits apply before and after
 * decompression; every failure names the file.
 */
export function readDataFile(path: string, maxBytes = MAX_DATASET_FILE_BYTES): Uint8Array {
  let raw: Uint8Array;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new DatasetError(`${path}: not a file`);
    if (st.size > maxBytes) throw new LimitExceededError(`${path}: ${st.size} bytes exceeds the dataset file limit of ${maxBytes} bytes`);
    raw = readFileSync(path);
  } catch (err) {
    if (err instanceof DatasetError || err instanceof LimitExceededError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new DatasetError(`${path}: cannot read dataset file (${code === 'ENOENT' ? 'no such file' : code ?? String(err)})`, { cause: err });
  }
  if (!isGzip(raw)) return raw;
  try {
    return gunzipSync(raw, { maxOutputLength: maxBytes });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new LimitExceededError(`${path}: decompressed size exceeds the dataset file limit of ${maxBytes} bytes`, { cause: err });
    }
    throw new DatasetError(`${path}: corrupt gzip data (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
}
