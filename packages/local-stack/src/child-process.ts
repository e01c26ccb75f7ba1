/**
 * The process-group helpers live in `@todo/service-runtime/testing`, which the services' own
 * process tests use too and which cannot depend on this package: one implementation for both.
 */
export {
  assertPortsFree,
  listeningPids,
  pipeLines,
  portIsFree,
  runThenStop,
  spawnGroup,
  stopAll,
  stopChild,
  waitUntilReady,
} from '@todo/service-runtime/testing';
