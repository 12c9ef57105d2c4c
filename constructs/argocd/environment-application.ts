// The Argo CD Application of one environment: syncs dist/<env> of this repository into the
// environment's namespace, with the sync policy its environment config chooses.
import { Construct } from 'constructs';
import { Application } from '../imports/argoproj.io';
import { SYNC_WAVE_ANNOTATION } from './sync-waves';
import { RESOURCES_FINALIZER, RootWave, SYNC_OPTIONS_ANNOTATION, syncPolicy } from './sync-policy';

export interface EnvironmentApplicationProps {
  /** Application name. */
  readonly name: string;
  /** AppProject the Application belongs to. */
  readonly project: string;
  /** This repository's URL. */
  readonly repoURL: string;
  /** Branch or tag to deploy. */
  readonly targetRevision: string;
  /** Folder of rendered manifests, e.g. dist/dev. */
  readonly path: string;
  /** API server of the destination cluster. */
  readonly server: string;
  /** The environment's namespace. */
  readonly namespace: string;
  /** Sync policy from the environment config. */
  readonly sync: { readonly automated: boolean; readonly prune: boolean; readonly selfHeal: boolean };
}

export class EnvironmentApplication extends Construct {
  public readonly application: Application;

  constructor(scope: Construct, id: string, props: EnvironmentApplicationProps) {
    super(scope, id);
    const annotations: Record<string, string> = { [SYNC_WAVE_ANNOTATION]: String(RootWave.environments) };
    // An environment that must not lose objects without a human must not lose its
    // Application either: the root app never prunes it, and deleting it orphans (rather than
    // deletes) the environment, database included.
    if (!props.sync.prune) annotations[SYNC_OPTIONS_ANNOTATION] = 'Prune=false';

    this.application = new Application(this, 'Application', {
      metadata: {
        name: props.name,
        annotations,
        finalizers: props.sync.prune ? [RESOURCES_FINALIZER] : undefined,
      },
      spec: {
        project: props.project,
        source: { repoUrl: props.repoURL, targetRevision: props.targetRevision, path: props.path },
        destination: { server: props.server, namespace: props.namespace },
        syncPolicy: syncPolicy({
          ...props.sync,
          // The Namespace is part of dist/<env> (with its Pod Security labels), so Argo CD
          // must not create it; removals happen after the new version is healthy.
          syncOptions: ['PruneLast=true'],
        }),
        revisionHistoryLimit: 10,
      },
    });
  }
}
