// Strict UTF-8 decoding: a body that is not UTF-8 is refused, never stored with U+FFFD in place
// of what the client meant.
import { isUtf8 } from 'node:buffer';

// A leading byte-order mark is dropped, as raw-body's decoding did before.
const decoder = new TextDecoder('utf-8', { fatal: true });

export class InvalidUtf8Error extends Error {
  constructor(
    /** Byte offset of the first byte that is not part of a valid UTF-8 sequence. */
    readonly offset: number,
    /** 1-based line of that byte (line breaks before it counted as LF, CRLF or CR). */
    readonly line: number,
  ) {
    super(`is not valid UTF-8 (byte ${offset}, line ${line})`);
    this.name = 'InvalidUtf8Error';
  }
}

/** Decodes `bytes` as UTF-8 or throws InvalidUtf8Error naming where it first goes wrong. */
export function decodeUtf8(bytes: Buffer): string {
  if (isUtf8(bytes)) return decoder.decode(bytes);
  const offset = firstInvalidByte(bytes);
  throw new InvalidUtf8Error(offset, lineAt(bytes, offset));
}

/** Offset of the first byte that starts no well-formed sequence (RFC 3629 section 4). */
export function firstInvalidByte(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (b < 0x80) length = 1;
    else if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) min = 0xa0; // no overlong forms
      if (b === 0xed) max = 0x9f; // no surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) min = 0x90;
      if (b === 0xf4) max = 0x8f; // nothing above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      const [lo, hi] = k === 1 ? [min, max] : [0x80, 0xbf];
      if (c === undefined || c < lo || c > hi) return i;
    }
    i += length;
  }
  return bytes.length;
}

function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) line++;
    else if (bytes[i] === 0x0d && bytes[i + 1] !== 0x0a) line++;
  }
  return line;
}
