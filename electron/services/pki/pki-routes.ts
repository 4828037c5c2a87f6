import { certificatesChannels } from '../../../shared/contract/certificates';
import type { Router } from '../router';
import type { Services } from '../core';

export function registerPkiRoutes(router: Router, services: Pick<Services, 'pki' | 'settings'>): void {
  router
    .route(certificatesChannels.wizardPreview, (request) => services.pki.preview(request))
    .route(certificatesChannels.wizardCreate, async (request) => {
      const result = await services.pki.create(request);
      // The wizard offers the last domain and model next time; failing to remember them must not fail the run.
      if (result.ok && (request.domain !== undefined || request.model !== undefined)) {
        const preset = { ...(request.domain !== undefined && { domain: request.domain }), ...(request.model !== undefined && { model: request.model }) };
        const saved = await services.settings.update({ wizardPreset: preset });
        if (!saved.ok) router.log.warn(`could not remember the wizard preset: ${saved.message}`);
      }
      return result;
    })
    .route(certificatesChannels.wizardDefaultDir, (request) => services.pki.defaultDir(request));
}
