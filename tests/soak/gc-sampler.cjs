// Preloaded into the soak's API process (`node --expose-gc --require`): every second a full GC, then one
// line "<ms since epoch> <rss bytes> <heap used bytes>" appended to OPSDECK_SOAK_SAMPLES. Sampled after
// a collection, RSS measures what stays alive; sampled at random it measured where the GC cycle was
// (a 3-minute run swung 121–154 MB with no leak at all).
const { appendFileSync } = require('node:fs');

const file = process.env.OPSDECK_SOAK_SAMPLES;
if (file && typeof global.gc === 'function') {
  setInterval(() => {
    global.gc();
    const memory = process.memoryUsage();
    try {
      appendFileSync(file, `${Date.now()} ${memory.rss} ${memory.heapUsed}\n`);
    } catch {
      // The test is over and removed its directory: never let sampling fail the process it measures.
    }
  }, 1000).unref();
}
