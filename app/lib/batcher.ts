/**
 * Natural batching (no timer): an item is handed to `run` at once while fewer than `maxInFlight`
 * runs are under way, so a lone item waits for nothing; under load, items arriving while every
 * run is busy wait for the next free one and go together, up to `maxBatch`. One statement and one
 * Redis round trip for many webhooks is what lets the edge keep up with a burst (npm run bench).
 *
 * `run` answers one result per item, in the order given. When it throws, every item of that batch
 * is rejected with the error (each caller answers as it would have alone).
 */
export interface BatcherOptions<I, O> {
  run(items: I[]): Promise<O[]>;
  maxBatch: number;
  maxInFlight: number;
}

export function createBatcher<I, O>(options: BatcherOptions<I, O>): (item: I) => Promise<O> {
  const waiting: Array<{ item: I; resolve: (value: O) => void; reject: (error: unknown) => void }> = [];
  let inFlight = 0;

  const pump = () => {
    while (inFlight < options.maxInFlight && waiting.length > 0) {
      const batch = waiting.splice(0, options.maxBatch);
      inFlight++;
      options
        .run(batch.map((entry) => entry.item))
        .then((results) => {
          if (results.length !== batch.length) throw new Error(`batch run answered ${results.length} results for ${batch.length} items`);
          batch.forEach((entry, i) => entry.resolve(results[i] as O));
        })
        .catch((error: unknown) => batch.forEach((entry) => entry.reject(error)))
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      pump();
    });
}
