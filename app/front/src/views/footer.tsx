import type { SystemStatus } from '../status';

const HEALTH_TEXT: Record<SystemStatus['apiHealth'], string> = {
  up: 'API healthy',
  degraded: 'API degraded (not ready)',
  down: 'API unreachable',
};

/** Environment, versions and API health, on every page. */
export function Footer({ status }: { status: SystemStatus }) {
  return (
    <footer class="site-footer">
      <dl class="status">
        <div>
          <dt>Environment</dt>
          <dd>{status.environment}</dd>
        </div>
        <div>
          <dt>Front</dt>
          <dd>{status.frontVersion}</dd>
        </div>
        <div>
          <dt>API</dt>
          <dd>{status.apiVersion ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>Health</dt>
          <dd>
            <span class={`health health-${status.apiHealth}`}>{HEALTH_TEXT[status.apiHealth]}</span>
          </dd>
        </div>
      </dl>
    </footer>
  );
}
