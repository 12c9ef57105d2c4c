// Every alert links to a page under docs/runbooks/ named after it in kebab case
// (ApiHighErrorRatio -> docs/runbooks/api-high-error-ratio.md).
export const RUNBOOKS_DIR = 'docs/runbooks';

export function runbookSlug(alert: string): string {
  return alert
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1-$2')
    .toLowerCase();
}

/** Path of the alert's runbook, relative to the repository root. */
export function runbookPath(alert: string): string {
  return `${RUNBOOKS_DIR}/${runbookSlug(alert)}.md`;
}

/** Browsable URL of the runbook on the repository's default branch. */
export function runbookUrl(repositoryUrl: string, alert: string, branch = 'main'): string {
  return `${repositoryUrl.replace(/\/+$/, '')}/blob/${branch}/${runbookPath(alert)}`;
}
