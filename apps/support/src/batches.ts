// The services' batch reads (project.getOrdersByProjectId, payment.getTransactionsByOrderId)
// take at most BATCH_LIMIT ids a call. A longer list is asked in several calls at once, so a page
// still costs one round trip per batch read, however much it shows.
export const BATCH_LIMIT = 500;

/** Reads `ids` in calls of at most BATCH_LIMIT ids, all in parallel, results in order; no call for no ids. */
export async function readInBatches<R>(ids: readonly string[], read: (batch: string[]) => Promise<R[]>): Promise<R[]> {
  const batches: string[][] = [];
  for (let start = 0; start < ids.length; start += BATCH_LIMIT) batches.push(ids.slice(start, start + BATCH_LIMIT));
  return (await Promise.all(batches.map((batch) => read(batch)))).flat();
}
