// Argo CD manages itself (the argocd-autopilot pattern): an Application whose source is
// Argo CD's own install manifests at the pinned release tag, rendered by kustomize with
// this repository's argocd-cm entries patched in. On a cluster where the same release was
// installed by hand (README, "Bootstrap") the first sync adopts those objects in place: same
// names, same namespace, so nothing restarts unless the patch changes a setting.
import { Construct } from 'constructs';
import { dump } from 'js-yaml';
import { Application } from '../imports/argoproj.io';
import { SYNC_WAVE_ANNOTATION } from './sync-waves';
import { syncPolicy } from './sync-policy';

export interface SelfManagedArgoCdProps {
  /** AppProject it belongs to. */
  readonly project: string;
  /** Sync wave in the root app-of-apps. */
  readonly wave: number;
  /** Argo CD's Git repository. */
  readonly repoURL: string;
  /** Release tag. */
  readonly version: string;
  /** Kustomize folder at that tag. */
  readonly path: string;
  /** API server of the destination cluster. */
  readonly server: string;
  /** Namespace Argo CD runs in. */
  readonly namespace: string;
  /** Entries merged into argocd-cm. */
  readonly settings: Readonly<Record<string, string>>;
  /** Application name. @default 'argocd' */
  readonly name?: string;
}

export class SelfManagedArgoCd extends Construct {
  public readonly application: Application;

  constructor(scope: Construct, id: string, props: SelfManagedArgoCdProps) {
    super(scope, id);
    // A strategic-merge patch: the upstream argocd-cm is empty apart from its labels.
    const patch = dump({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'argocd-cm' }, data: { ...props.settings } }, { lineWidth: -1, sortKeys: true });
    this.application = new Application(this, 'Application', {
      metadata: { name: props.name ?? 'argocd', annotations: { [SYNC_WAVE_ANNOTATION]: String(props.wave) } },
      spec: {
        project: props.project,
        source: {
          repoUrl: props.repoURL,
          targetRevision: props.version,
          path: props.path,
          kustomize: { patches: [{ target: { kind: 'ConfigMap', name: 'argocd-cm' }, patch }] },
        },
        destination: { server: props.server, namespace: props.namespace },
        // Never prune or delete Argo CD from under itself; self-heal reverts hand edits of
        // argocd-cm. A bad change is reverted in git, or by hand (docs/argocd.md).
        syncPolicy: syncPolicy({ automated: true, prune: false, selfHeal: true, syncOptions: ['ServerSideApply=true'] }),
      },
    });
  }
}
