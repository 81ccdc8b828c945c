// The parts of the sync HTTP protocol beyond RxDB's own shapes, shared by server and client.

/** Push answer header: JSON `[RefusedPushRow]` (capped; see the count header for the total). */
export const REFUSED_HEADER = 'x-topsmile-refused';
export const REFUSED_COUNT_HEADER = 'x-topsmile-refused-count';
/** Pull answer header: the checkpoint is below the history floor; start over from null. */
export const RESYNC_HEADER = 'x-topsmile-resync';

export interface SyncCheckpoint {
  readonly seq: number;
}

/** A pushed row the server refused, and why (ids and rule messages only, no patient data). */
export interface RefusedPushRow {
  readonly index: number;
  readonly id: string;
  readonly message: string;
  readonly issues?: readonly { readonly field: string; readonly message: string }[];
}
