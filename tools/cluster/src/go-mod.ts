// Reads what a go.mod requires (both `require m v` and lines of a `require ( ... )` block).
import fs from 'node:fs';

export function requiredVersion(goModFile: string, module: string): string {
  const escaped = module.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const match = new RegExp(`^(?:require\\s+|\\s+)${escaped}\\s+(v\\S+)`, 'm').exec(fs.readFileSync(goModFile, 'utf8'));
  if (!match) throw new Error(`${goModFile} does not require ${module}`);
  return match[1];
}
