// A stateless HTTP service with production defaults: Deployment + Service + ServiceAccount
// (no token), PodDisruptionBudget, optional HPA. Every cdk8s-plus-28 default that would be
// surprising in production (1 CPU / 512Mi-2Gi resources, imagePullPolicy Always, a TCP
// startup probe, 2 replicas, a construct-path selector) is overridden here on purpose.
import { ApiObject, Duration, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { componentLabels, selectorLabels } from './labels';
import { toContainerResources, type ComputeResources } from './resources';

export interface WebServiceAutoscaling {
  /** Lower bound of the HPA. */
  readonly minReplicas: number;
  /** Upper bound of the HPA. */
  readonly maxReplicas: number;
  /** Average CPU utilisation (percent of the request) the HPA aims for. */
  readonly targetCpuUtilizationPercent: number;
}

export interface WebServiceProps {
  /** Object name of the Deployment, Service, ServiceAccount, PDB and HPA. */
  readonly name: string;
  /** Immutable image reference (`registry/name:tag@sha256:...`). */
  readonly image: string;
  /** Value of app.kubernetes.io/version (usually the image tag). */
  readonly version: string;
  /** Value of app.kubernetes.io/component. @default the name */
  readonly component?: string;
  /** Requests and limits of the container. */
  readonly resources: ComputeResources;
  /** Container and Service port of the application (the only one a route may expose). @default 8080 */
  readonly port?: number;
  /**
   * Container and Service port named `management` serving /metrics and the probe paths, kept
   * off the application port so no route can publish them. @default 9090
   */
  readonly managementPort?: number;
  /** Plain environment variables, rendered in key order. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from existing Secrets (never written to git). @default {} */
  readonly secretEnv?: Readonly<Record<string, { readonly secretName: string; readonly key: string }>>;
  /** Fixed replica count; mutually exclusive with `autoscaling`. @default 2 when autoscaling is unset */
  readonly replicas?: number;
  /** Adds an autoscaling/v2 HPA on CPU and leaves `replicas` to it. @default no HPA */
  readonly autoscaling?: WebServiceAutoscaling;
  /** Liveness and startup probe path. @default '/healthz' */
  readonly livenessPath?: string;
  /** Readiness probe path. @default '/readyz' */
  readonly readinessPath?: string;
  /** Seconds the preStop hook waits so endpoints are removed before SIGTERM. @default 5 */
  readonly preStopDelaySeconds?: number;
  /** Seconds between SIGTERM and SIGKILL; covers the preStop delay plus draining. @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Spread pods over zones (required: a zone holds at most one pod more than another) and
   * nodes (preferred, so a rollout still fits when replicas outnumber nodes). @default false
   */
  readonly topologySpread?: boolean;
  /** Non-root uid and gid the container runs as. @default 10001 */
  readonly runAsUser?: number;
}

export class WebService extends Construct {
  public readonly name: string;
  public readonly port: number;
  /** Port of /metrics, /healthz and /readyz (Service port name `management`). */
  public readonly managementPort: number;
  /** Labels selecting this service's pods (stable, used by Service, PDB, NetworkPolicies). */
  public readonly selector: Readonly<Record<string, string>>;
  public readonly serviceAccount: kplus.ServiceAccount;
  public readonly deployment: kplus.Deployment;
  public readonly container: kplus.Container;
  public readonly service: kplus.Service;
  public readonly podDisruptionBudget: kplus.k8s.KubePodDisruptionBudget;
  public readonly horizontalPodAutoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;

  constructor(scope: Construct, id: string, props: WebServiceProps) {
    super(scope, id);
    if (props.replicas !== undefined && props.autoscaling !== undefined) {
      throw new Error(`WebService ${props.name}: set either replicas or autoscaling, not both`);
    }
    if (props.autoscaling && props.autoscaling.minReplicas > props.autoscaling.maxReplicas) {
      throw new Error(`WebService ${props.name}: autoscaling.minReplicas (${props.autoscaling.minReplicas}) exceeds maxReplicas (${props.autoscaling.maxReplicas})`);
    }
    if (!/@sha256:[0-9a-f]{64}$/.test(props.image)) {
      throw new Error(`WebService ${props.name}: image must be pinned by digest (…@sha256:<64 hex>), got "${props.image}"`);
    }
    const preStopDelaySeconds = props.preStopDelaySeconds ?? 5;
    const terminationGracePeriodSeconds = props.terminationGracePeriodSeconds ?? 30;
    if (terminationGracePeriodSeconds <= preStopDelaySeconds) {
      throw new Error(`WebService ${props.name}: terminationGracePeriodSeconds (${terminationGracePeriodSeconds}) must exceed preStopDelaySeconds (${preStopDelaySeconds})`);
    }

    this.name = props.name;
    this.port = props.port ?? 8080;
    this.managementPort = props.managementPort ?? 9090;
    if (this.managementPort === this.port) {
      throw new Error(`WebService ${props.name}: managementPort (${this.managementPort}) must differ from port: the probes and /metrics must not be reachable through the application port`);
    }
    this.selector = selectorLabels(props.name);
    const labels = componentLabels(props.name, props.component ?? props.name, props.version);
    const uid = props.runAsUser ?? 10001;
    const livenessPath = props.livenessPath ?? '/healthz';
    const readinessPath = props.readinessPath ?? '/readyz';

    this.serviceAccount = new kplus.ServiceAccount(this, 'ServiceAccount', {
      metadata: { name: props.name, labels },
      automountToken: false,
    });

    this.deployment = new kplus.Deployment(this, 'Deployment', {
      metadata: { name: props.name, labels },
      // The default selector label is derived from the construct path; ours is explicit.
      select: false,
      podMetadata: { labels },
      replicas: props.autoscaling ? undefined : (props.replicas ?? 2),
      serviceAccount: this.serviceAccount,
      automountServiceAccountToken: false,
      terminationGracePeriod: Duration.seconds(terminationGracePeriodSeconds),
      // Surge one pod, never drop below the desired count while rolling.
      strategy: kplus.DeploymentStrategy.rollingUpdate({
        maxSurge: kplus.PercentOrAbsolute.absolute(1),
        maxUnavailable: kplus.PercentOrAbsolute.absolute(0),
      }),
      securityContext: {
        ensureNonRoot: true,
        user: uid,
        group: uid,
        fsGroup: uid,
      },
      isolate: false,
    });
    this.deployment.select(kplus.LabelSelector.of({ labels: this.selector }));
    // cdk8s-plus still stamps a construct-path label (with a hash) on the pod template for
    // its own pod matching; nothing here selects on it, so it is removed to keep names stable.
    const deploymentObject = ApiObject.of(this.deployment);
    deploymentObject.addJsonPatch(JsonPatch.remove('/spec/template/metadata/labels/cdk8s.io~1metadata.addr'));
    // With an HPA the replica count belongs to it; a fixed value would fight it on every sync.
    if (props.autoscaling) deploymentObject.addJsonPatch(JsonPatch.remove('/spec/replicas'));

    const tmp = kplus.Volume.fromEmptyDir(this, 'Tmp', 'tmp');
    this.container = this.deployment.addContainer({
      name: props.name,
      image: props.image,
      // Digests are immutable: a cached image is the right image.
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      ports: [
        { number: this.port, name: 'http' },
        { number: this.managementPort, name: 'management' },
      ],
      envVariables: Object.fromEntries([
        ...Object.entries(props.env ?? {}).map(([key, value]) => [key, kplus.EnvValue.fromValue(value)] as const),
        ...Object.entries(props.secretEnv ?? {}).map(
          ([key, ref]) =>
            [key, kplus.EnvValue.fromSecretValue({ secret: kplus.Secret.fromSecretName(this, `Secret${key}`, ref.secretName), key: ref.key })] as const,
        ),
      ]),
      resources: toContainerResources(props.resources),
      securityContext: {
        ensureNonRoot: true,
        user: uid,
        group: uid,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        privileged: false,
        capabilities: { drop: [kplus.Capability.ALL] },
        seccompProfile: { type: kplus.SeccompProfileType.RUNTIME_DEFAULT },
      },
      // Startup gives a slow first start up to 60 s before liveness takes over.
      startup: kplus.Probe.fromHttpGet(livenessPath, {
        port: this.managementPort,
        periodSeconds: Duration.seconds(2),
        failureThreshold: 30,
        timeoutSeconds: Duration.seconds(2),
      }),
      liveness: kplus.Probe.fromHttpGet(livenessPath, {
        port: this.managementPort,
        periodSeconds: Duration.seconds(10),
        failureThreshold: 3,
        timeoutSeconds: Duration.seconds(2),
      }),
      readiness: kplus.Probe.fromHttpGet(readinessPath, {
        port: this.managementPort,
        periodSeconds: Duration.seconds(5),
        failureThreshold: 2,
        timeoutSeconds: Duration.seconds(2),
      }),
      // Keep serving while the endpoint removal propagates to proxies and gateways.
      lifecycle: { preStop: kplus.Handler.fromCommand(['sleep', String(preStopDelaySeconds)]) },
      volumeMounts: [{ path: '/tmp', volume: tmp }],
    });

    if (props.topologySpread) {
      const spread = (topologyKey: string, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway') => ({
        maxSkew: 1,
        topologyKey,
        // A preference alone lets the scheduler's other scores win: the cluster tests saw all
        // three prod API pods in two zones with ScheduleAnyway. Zones are therefore required.
        whenUnsatisfiable,
        labelSelector: { matchLabels: { ...this.selector } },
        // Count each ReplicaSet on its own, so the new pods of a rollout spread as well.
        matchLabelKeys: ['pod-template-hash'],
        // Cordoned or tainted nodes are no domain: draining a whole zone must not leave the
        // replacement pods Pending for the sake of an empty zone.
        nodeTaintsPolicy: 'Honor',
      });
      deploymentObject.addJsonPatch(
        JsonPatch.add('/spec/template/spec/topologySpreadConstraints', [spread('topology.kubernetes.io/zone', 'DoNotSchedule'), spread('kubernetes.io/hostname', 'ScheduleAnyway')]),
      );
    }

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: props.name, labels },
      ports: [
        { name: 'http', port: this.port, targetPort: this.port },
        // Only Prometheus (ServiceMonitor) uses it; NetworkPolicy admits nobody else.
        { name: 'management', port: this.managementPort, targetPort: this.managementPort },
      ],
    });
    for (const [key, value] of Object.entries(this.selector)) this.service.selectLabel(key, value);

    // maxUnavailable (not minAvailable) so a drain never blocks, even at one replica.
    this.podDisruptionBudget = new kplus.k8s.KubePodDisruptionBudget(this, 'PodDisruptionBudget', {
      metadata: { name: props.name, labels },
      spec: { maxUnavailable: kplus.k8s.IntOrString.fromNumber(1), selector: { matchLabels: { ...this.selector } } },
    });

    if (props.autoscaling) {
      this.horizontalPodAutoscaler = new kplus.k8s.KubeHorizontalPodAutoscalerV2(this, 'HorizontalPodAutoscaler', {
        metadata: { name: props.name, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
          minReplicas: props.autoscaling.minReplicas,
          maxReplicas: props.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.autoscaling.targetCpuUtilizationPercent } },
            },
          ],
        },
      });
    }
  }
}
