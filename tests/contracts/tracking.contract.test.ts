/**
 * Every tracking plugin passes the same `Tracking` contract against its local fake carrier fed with
 * recorded answers. A new one adds one `runTrackingContract(...)` call here (with its setup below).
 */
import { createManualClock } from "~/lib/clock";
import { silentLogger } from "~/lib/logger.server";
import { colissimoPlugin } from "~/plugins/integrations/colissimo";
import { startFakeColissimoLabels } from "../fakes/colissimo-labels.server";
import { RECORDED_NUMBERS, recordedAnswers, startFakeLaPosteApi } from "../fakes/laposte-api.server";
import { runTrackingContract, type TrackingContractSubject } from "./tracking.contract";

runTrackingContract("colissimo", () => colissimoSubject({ labels: true }));
runTrackingContract("colissimo (tracking only)", () => colissimoSubject({ labels: false }));

async function colissimoSubject(options: { labels: boolean }): Promise<TrackingContractSubject> {
  const okapiKey = "contract-okapi-key";
  const apiKey = "contract-sls-key";
  const carrier = await startFakeLaPosteApi({ okapiKey, answers: recordedAnswers() });
  const labels = options.labels ? await startFakeColissimoLabels({ apiKey }) : null;
  const config = colissimoPlugin.configSchema.parse({
    okapiKey,
    trackingBaseUrl: carrier.url,
    ...(labels
      ? {
          labels: {
            apiKey,
            baseUrl: labels.url,
            returnAddress: { companyName: "Élégance Paris", line2: "12 rue de Sévigné", zipCode: "75004", city: "Paris" },
          },
        }
      : {}),
  });
  return {
    tracking: colissimoPlugin.create({ config, logger: silentLogger, clock: createManualClock(new Date("2026-01-12T09:00:00Z")) }),
    numbers: { ...RECORDED_NUMBERS },
    fakeCarrier: carrier,
    ...(labels ? { labels: { fake: labels } } : {}),
    async close() {
      await carrier.close();
      await labels?.close();
    },
  };
}
