// Strict UTF-8 decoding: a body that is not UTF-8 is refused, never stored with U+FFFD in place
// of what the client meant.
import { isUtf8 } from 'node:buffer';

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
  // Once isUtf8 has said yes, node's own decoding gives the same text as a fatal TextDecoder
  // without its second validation. A leading byte-order mark is dropped, as raw-body's
  // decoding did before.
  if (isUtf8(bytes)) return withoutBom(bytes.toString('utf8'));
  const offset = firstInvalidByte(bytes);
  throw new InvalidUtf8Error(offset, lineAt(bytes, offset));
}

const withoutBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

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

/**
 * decodeUtf8 for a body that arrives in chunks: the same text, BOM rule and error (offset and
 * line counted over the whole body), without holding the bytes. A sequence cut between two
 * chunks waits for the next one.
 */
export class Utf8ChunkDecoder {
  /** Bytes of a sequence the previous chunk ended in the middle of. */
  private carry: Buffer = Buffer.alloc(0);
  /** Bytes decoded so far. */
  private offset = 0;
  /** Line breaks before `offset` (LF, CRLF or CR), as lineAt counts them. */
  private lines = 0;
  /** The previous decoded byte was a CR: an LF right after it belongs to the same break. */
  private afterCr = false;
  private first = true;

  decode(chunk: Buffer): string {
    const bytes = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    const whole = bytes.length - incompleteTail(bytes);
    const complete = bytes.subarray(0, whole);
    if (!isUtf8(complete)) throw this.invalid(complete, firstInvalidByte(complete));
    this.carry = Buffer.from(bytes.subarray(whole));
    this.countLines(complete);
    this.offset += complete.length;
    let text = complete.toString('utf8');
    if (this.first && text !== '') {
      this.first = false;
      text = withoutBom(text);
    }
    return text;
  }

  /** Call after the last chunk: a sequence still unfinished is an error. */
  end(): void {
    if (this.carry.length) throw this.invalid(this.carry, 0);
  }

  private invalid(bytes: Buffer, at: number): InvalidUtf8Error {
    this.countLines(bytes.subarray(0, at));
    return new InvalidUtf8Error(this.offset + at, this.lines + 1);
  }

  private countLines(bytes: Buffer): void {
    if (bytes.length === 0) return;
    for (let at = bytes.indexOf(0x0a); at !== -1; at = bytes.indexOf(0x0a, at + 1)) {
      // CRLF: the CR (counted below when not followed by LF) and the LF are one break.
      if (!(at === 0 && this.afterCr)) this.lines++;
    }
    for (let at = bytes.indexOf(0x0d); at !== -1; at = bytes.indexOf(0x0d, at + 1)) {
      // A CR ending the chunk is counted now; its LF, if the next chunk starts with one, is not.
      if (bytes[at + 1] !== 0x0a) this.lines++;
    }
    this.afterCr = bytes[bytes.length - 1] === 0x0d;
  }
}

/** How many bytes at the end of `bytes` start a sequence that is not finished yet (0-3). */
function incompleteTail(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const b = bytes[bytes.length - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: look further back for its lead
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}
