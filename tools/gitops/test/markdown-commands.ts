// How the workflow tests read shell: which npm commands a script or a Markdown code block runs.

/** `npm ci`, `npm test`, `npm run <script>` and `npm run <script> -- <first argument word>`, `--silent` ignored. */
export function npmCommands(shell: string): Set<string> {
  const commands = new Set<string>();
  // Continuation lines are joined first; a command never reaches past the end of its line.
  const text = shell.replace(/\\\n/g, ' ');
  for (const match of text.matchAll(/\bnpm[ \t]+(ci|test|run)\b(?:[ \t]+--silent)?(?:[ \t]+([\w:.-]+))?(?:[ \t]+--[ \t]+("?)(-{0,2}[a-z][a-z-]*)\3(?=[\s;&|)]|$))?/g)) {
    const [, verb, script, , argument] = match;
    if (verb !== 'run') commands.add(`npm ${verb}`);
    else if (script) commands.add(argument ? `npm run ${script} -- ${argument}` : `npm run ${script}`);
  }
  return commands;
}

export function codeBlocks(markdown: string): string {
  return [...markdown.matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((match) => match[1]).join('\n');
}

export function section(markdown: string, heading: RegExp): string | undefined {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{1,6}\s/.test(line) && heading.test(line));
  if (start === -1) return undefined;
  const level = (/^#+/.exec(lines[start]) as RegExpExecArray)[0].length;
  const end = lines.findIndex((line, i) => i > start && new RegExp(`^#{1,${level}}\\s`).test(line));
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}
