/**
 * What the CLI loads, as one module, when a command first needs the service: the service itself
 * and the tracer. One dynamic import instead of two gives the bundler one split point, so the code
 * they share is not cut into extra chunks that every key command would then read one by one.
 * @module
 */
export { KeyService } from './key-service.js';
export { createTracer } from './trace.js';
