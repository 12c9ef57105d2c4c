// The Python tools of tools/python/requirements.txt, in the virtual environment .ci/setup
// creates with tools/python/setup-venv.sh.
import fs from 'node:fs';
import path from 'node:path';

export const venvBin = path.resolve(__dirname, '..', '..', '.build', 'venv', 'bin');

/** Path of a tool in .build/venv/bin; throws saying how to install it when it is missing. */
export function venvTool(name: string): string {
  const tool = path.join(venvBin, name);
  if (!fs.existsSync(tool)) throw new Error(`${tool} is missing: run bash tools/python/setup-venv.sh (.ci/setup does)`);
  return tool;
}
