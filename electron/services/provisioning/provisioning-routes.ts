import { devicesChannels } from '../../../shared/contract/devices';
import { provisioningChannels } from '../../../shared/contract/provisioning';
import { ok } from '../../../shared/contract/result';
import type { Router } from '../router';
import type { Services } from '../core';

export function registerProvisioningRoutes(router: Router, services: Pick<Services, 'provisioning'>): void {
  const p = services.provisioning;
  router
    .route(provisioningChannels.start, (req) => p.start(req))
    .route(provisioningChannels.preflight, (req) => p.preflight(req))
    .route(provisioningChannels.cancel, async (req) => p.cancel(req.runId, req.device))
    .route(provisioningChannels.retryFailed, async (req) => p.retryFailed(req.runId))
    .route(provisioningChannels.runs, async () => ok(p.runs()))
    .route(provisioningChannels.run, async (req) => p.run(req.runId))
    .route(provisioningChannels.forgetHostKey, (req) => p.forgetHostKey(req.device))
    .route(provisioningChannels.trustHostKey, (req) => p.trustHostKey(req.device, req))
    .route(provisioningChannels.report, (req) => p.report(req.runId, req.format))
    .route(devicesChannels.probeStatus, (req) => p.probeStatus(req.devices, req.concurrency));
}
