// Error stacks that name src/*.ts lines without `--enable-source-maps`. That flag parses the
// bundle's map when the bundle loads and keeps it for the life of the process (+10-15 MB RSS
// under load, app/api/README.md, Benchmark), although a stack is only written when something
// failed. Here the map is read the first time a stack is logged, kept while errors keep coming,
// and let go a minute after the last one.
import fs from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import path from 'node:path';

/** How long a loaded map is kept after its last use. */
const keepMs = 60_000;

interface LoadedMap {
  readonly map: SourceMap | undefined;
  release: NodeJS.Timeout;
}

const loaded = new Map<string, LoadedMap>();

/**
 * Rewrites the `file.js:line:column` positions in `stack` that fall in `bundle` (the running
 * build/server.js: `require.main.filename`) to the source positions in its map, the way Node
 * prints them with `--enable-source-maps`. Positions it cannot map, and every stack when the
 * map is missing or unreadable, are left as they are: a log line is never lost to this.
 */
export function mapStack(stack: string, bundle: string | undefined = require.main?.filename): string {
  if (!bundle || !stack.includes(bundle)) return stack;
  const map = sourceMapOf(bundle);
  if (!map) return stack;
  const frame = new RegExp(`${escapeRegExp(bundle)}:(\\d+):(\\d+)`, 'g');
  try {
    return stack.replace(frame, (position, line: string, column: string) => {
      const origin = map.findOrigin(Number(line), Number(column));
      if (!('fileName' in origin) || !origin.fileName) return position;
      // Sources are relative to the map's folder (../src/..., ../../../node_modules/...).
      const file = path.resolve(path.dirname(bundle), origin.fileName);
      return `${file}:${origin.lineNumber}:${origin.columnNumber}`;
    });
  } catch {
    // A map that does not fit the bundle: the raw stack is still worth logging.
    return stack;
  }
}

function sourceMapOf(bundle: string): SourceMap | undefined {
  let entry = loaded.get(bundle);
  if (entry) {
    entry.release.refresh();
    return entry.map;
  }
  const release = setTimeout(() => loaded.delete(bundle), keepMs);
  release.unref();
  entry = { map: readMap(`${bundle}.map`), release };
  loaded.set(bundle, entry);
  return entry.map;
}

function readMap(file: string): SourceMap | undefined {
  try {
    return new SourceMap(JSON.parse(fs.readFileSync(file, 'utf8')) as SourceMapPayload);
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
