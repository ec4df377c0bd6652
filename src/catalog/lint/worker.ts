/** Entry point of the lint worker thread, bundled alone into build/lint-worker.cjs (see ./parallel.ts). */
import { serveLintWorker } from './parallel';

serveLintWorker();
