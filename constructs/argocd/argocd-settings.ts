// What this repository needs from Argo CD's own configuration (argocd-cm), in one place: the
// self-managed Argo CD Application patches it into the upstream manifests, and the cluster
// tests load the same data into the Argo CD they run.

/**
 * Health of an Application is its own reported health. Argo CD removed this check in 1.8
 * (argoproj/argo-cd#3781), so without it an app-of-apps' sync waves only order the
 * *creation* of child Applications; with it, the root waits for each wave's Applications to
 * be Healthy (CRDs before controllers, controllers before their configs, configs before the
 * environments). No health yet (just created, not compared) counts as Progressing.
 */
export const APPLICATION_HEALTH_LUA = `hs = { status = "Progressing", message = "" }
if obj.status ~= nil and obj.status.health ~= nil then
  hs.status = obj.status.health.status
  if obj.status.health.message ~= nil then hs.message = obj.status.health.message end
end
return hs
`;

/** The argocd-cm entries the platform's waves depend on. */
export const ARGOCD_CM_DATA: Readonly<Record<string, string>> = {
  'resource.customizations.health.argoproj.io_Application': APPLICATION_HEALTH_LUA,
};
