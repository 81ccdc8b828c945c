export * from './protocol';
export { parseSseStream, type SseEvent } from './sse';
export {
  ClinicChangeStream,
  type ClinicChangeStreamOptions,
  type FetchLike,
  type ServerHello,
  type StreamPoke,
} from './change-stream';
export {
  parseRefusedHeader,
  replicateClinicCollection,
  SyncHttpError,
  type ReplicateClinicCollectionOptions,
} from './replication';
